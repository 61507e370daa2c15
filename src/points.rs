//! Exact points, counted in half-points so that no sum is ever a binary float.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Mul, Neg, Sub};
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A number of points, stored as a whole number of half-points (RULES.md: "points are exact halves").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Points(i64);

/// Why a text is not a number of points.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PointsError {
    #[error("not a number: {0:?}")]
    NotANumber(String),
    #[error("not a multiple of 0.5: {0:?}")]
    NotAHalf(String),
}

impl Points {
    pub const ZERO: Points = Points(0);

    pub const fn from_halves(halves: i64) -> Self {
        Points(halves)
    }

    pub const fn whole(points: i64) -> Self {
        Points(points * 2)
    }

    pub const fn halves(self) -> i64 {
        self.0
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// The value as a JSON number: exact, because every half is a short binary fraction.
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 2.0
    }

    /// Converts a decimal such as 0.5 or 12 that the rules file holds; refuses anything else.
    pub fn from_f64(value: f64) -> Result<Self, PointsError> {
        let doubled = value * 2.0;
        if !doubled.is_finite() || doubled.abs() > 1e15 {
            return Err(PointsError::NotANumber(value.to_string()));
        }
        if doubled.fract() != 0.0 {
            return Err(PointsError::NotAHalf(value.to_string()));
        }
        Ok(Points(doubled as i64))
    }
}

impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        if abs % 2 == 0 {
            write!(f, "{sign}{}", abs / 2)
        } else {
            write!(f, "{sign}{}.5", abs / 2)
        }
    }
}

impl FromStr for Points {
    type Err = PointsError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let (negative, body) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        let (whole, frac) = body.split_once('.').unwrap_or((body, ""));
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PointsError::NotANumber(s.to_string()));
        }
        if !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PointsError::NotANumber(s.to_string()));
        }
        let whole: i64 = whole
            .parse()
            .map_err(|_| PointsError::NotANumber(s.to_string()))?;
        let frac = frac.trim_end_matches('0');
        let half = match frac {
            "" => 0,
            "5" => 1,
            _ => return Err(PointsError::NotAHalf(s.to_string())),
        };
        let halves = whole
            .checked_mul(2)
            .and_then(|w| w.checked_add(half))
            .ok_or_else(|| PointsError::NotANumber(s.to_string()))?;
        Ok(Points(if negative { -halves } else { halves }))
    }
}

impl Add for Points {
    type Output = Points;
    fn add(self, rhs: Points) -> Points {
        Points(self.0 + rhs.0)
    }
}

impl AddAssign for Points {
    fn add_assign(&mut self, rhs: Points) {
        self.0 += rhs.0;
    }
}

impl Sub for Points {
    type Output = Points;
    fn sub(self, rhs: Points) -> Points {
        Points(self.0 - rhs.0)
    }
}

impl Neg for Points {
    type Output = Points;
    fn neg(self) -> Points {
        Points(-self.0)
    }
}

impl Mul<i64> for Points {
    type Output = Points;
    fn mul(self, rhs: i64) -> Points {
        Points(self.0 * rhs)
    }
}

impl Sum for Points {
    fn sum<I: Iterator<Item = Points>>(iter: I) -> Points {
        iter.fold(Points::ZERO, Add::add)
    }
}

impl Serialize for Points {
    /// A JSON number (`12.5`), or a TOML float/integer.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0 % 2 == 0 {
            serializer.serialize_i64(self.0 / 2)
        } else {
            serializer.serialize_f64(self.as_f64())
        }
    }
}

impl<'de> Deserialize<'de> for Points {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(i64),
            Float(f64),
            Text(String),
        }
        match Raw::deserialize(deserializer)? {
            Raw::Int(i) => Ok(Points::whole(i)),
            Raw::Float(f) => Points::from_f64(f).map_err(serde::de::Error::custom),
            Raw::Text(s) => s.parse().map_err(serde::de::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_points_print_without_a_decimal_point() {
        assert_eq!(Points::whole(10).to_string(), "10");
        assert_eq!(Points::from_halves(25).to_string(), "12.5");
        assert_eq!(Points::from_halves(-7).to_string(), "-3.5");
        assert_eq!(Points::from_halves(1).to_string(), "0.5");
    }

    #[test]
    fn text_parses_to_exact_halves_and_refuses_other_fractions() {
        assert_eq!("12.5".parse::<Points>(), Ok(Points::from_halves(25)));
        assert_eq!("0.50".parse::<Points>(), Ok(Points::from_halves(1)));
        assert_eq!("3".parse::<Points>(), Ok(Points::whole(3)));
        assert!(matches!(
            "0.25".parse::<Points>(),
            Err(PointsError::NotAHalf(_))
        ));
        assert!(matches!(
            "abc".parse::<Points>(),
            Err(PointsError::NotANumber(_))
        ));
        assert!(matches!(
            ".5".parse::<Points>(),
            Err(PointsError::NotANumber(_))
        ));
    }

    #[test]
    fn floats_from_a_rules_file_must_be_halves() {
        assert_eq!(Points::from_f64(0.5), Ok(Points::from_halves(1)));
        assert!(Points::from_f64(0.3).is_err());
        assert!(Points::from_f64(f64::NAN).is_err());
    }

    #[test]
    fn json_shows_points_as_numbers() {
        let json = serde_json::to_string(&[Points::whole(10), Points::from_halves(25)]).unwrap();
        assert_eq!(json, "[10,12.5]");
    }
}
