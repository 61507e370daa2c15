//! The twelve must-report categories of §2(1).

use serde::{Deserialize, Serialize};

/// One of the twelve categories, 1 to 12; its text is the prompt `category.N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Category(u8);

/// A category outside 1–12.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("category must be a whole number from 1 to 12, not {0:?}")]
pub struct BadCategory(pub String);

impl Category {
    pub const COUNT: u8 = 12;

    pub fn new(n: u8) -> Result<Self, BadCategory> {
        if (1..=Self::COUNT).contains(&n) {
            Ok(Category(n))
        } else {
            Err(BadCategory(n.to_string()))
        }
    }

    /// Its number, read as every whole number is ([`super::number::parse_digits`]): `4`,
    /// `４`, ` 4 `; a Chinese numeral (`四`) is refused, as the chat's category list is picked
    /// by its numbers.
    pub fn parse(text: &str) -> Result<Self, BadCategory> {
        super::number::parse_digits(text)
            .and_then(|n| u8::try_from(n).ok())
            .ok_or_else(|| BadCategory(text.to_string()))
            .and_then(|n| Category::new(n).map_err(|_| BadCategory(text.to_string())))
    }

    pub fn number(self) -> u8 {
        self.0
    }

    pub fn all() -> impl Iterator<Item = Category> {
        (1..=Self::COUNT).map(Category)
    }

    /// The prompt key of the category's name.
    pub fn prompt_key(self) -> String {
        format!("category.{}", self.0)
    }
}

impl TryFrom<u8> for Category {
    type Error = BadCategory;
    fn try_from(n: u8) -> Result<Self, BadCategory> {
        Category::new(n)
    }
}

impl From<Category> for u8 {
    fn from(c: Category) -> u8 {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_one_to_twelve_are_categories() {
        assert!(Category::parse("0").is_err());
        assert!(Category::parse("13").is_err());
        assert!(Category::parse("x").is_err());
        assert!(Category::parse("+4").is_err());
        assert!(Category::parse("四").is_err());
        assert_eq!(Category::parse("１２").map(Category::number), Ok(12));
        assert_eq!(Category::parse(" 12 ").map(Category::number), Ok(12));
        assert_eq!(Category::all().count(), 12);
    }
}
