//! The six facts of an urgent report (§2(2)3) drawn out of an officer's free-text description.
//!
//! Pure: no I/O and no clock; the report's time and the unit's zone are arguments. Every fact
//! keeps the officer's own words beside the value read from them, so the summary can show both.
//! A fact that is not found is `None` and is asked for; nothing is guessed:
//! - **time**: a written moment (`14:30`, `下午两点半`, `昨晚8点`, `11月22日14时许`, `2026-11-22
//!   14:30`) is read by [`crate::domain::parse_event_time`] once its spoken parts (day parts,
//!   Chinese numerals, 半, 许) are put in its form; `半小时前`, `10分钟前` count back from the
//!   report. `刚才`/`刚刚`, and any written time later than the report (or that the parser
//!   refuses), are [`TimeFact::Unclear`]: the officer is asked, never silently corrected;
//! - **people**: a count followed by 人/名/位 (`约200人`, `200余名职工`, `三四十人`), never a
//!   date, a time, money, an age or a count of things; of several, the largest one not sent by
//!   the union or the police (`已派5人`), since the smaller ones are parts of the crowd;
//! - **place**: the site named after 在/于/位于/地点 (or 到/赴/前往 an organisation: `到市信访局
//!   上访`); else the organisation named where a clause begins (`西岗区某物流公司30余名司机
//!   停工`, `西岗区某商场发生火灾`), known by its name's end (公司, 厂, 工地, 商场, 医院…); a
//!   site inside an organisation joins it (`大连某机械厂…在厂门口` is `大连某机械厂厂门口`,
//!   its words the two parts joined with `…`), while a site of its own stands alone (`某公司
//!   100余名职工到市信访局上访` is `市信访局`: the employer stays in the officer's words);
//! - **cause** after 因/由于/原因是/起因是;
//! - **measures** and **status**, clause by clause (a clause ends at `，。；！？` or a line, not
//!   at 、): a clause saying something was *done* or is being done (已, 已经 or 正在 before an
//!   act — 报警, 派人, 协调 — or 采取) is a measure, even after 目前 (`目前已报警`); a clause
//!   saying how things *are* (opened by 目前/现在/当前/现场/情况/事态, about 情绪/秩序/伤亡/受伤
//!   anywhere, or 已 before a state — 恢复, 平息, 散去, 造成) is the status (`现场秩序已恢复`).
//!   Several clauses of a kind are joined with `，`, in value and words alike.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::domain::half_width;

mod people;
mod place;
mod time;

pub(crate) use people::negative as negative_count;
pub(crate) use time::spoken as spoken_time;

/// What was read out of one description; `None` is a fact still to be asked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Facts {
    pub event_time: Option<Fact<TimeFact>>,
    pub place: Option<Fact<String>>,
    pub people: Option<Fact<People>>,
    pub cause: Option<Fact<String>>,
    pub measures: Option<Fact<String>>,
    pub status: Option<Fact<String>>,
}

/// A value (read with full-width forms folded) and the officer's own words it was read from
/// (as typed, full width kept; for measures and status, the clauses joined).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact<T> {
    pub value: T,
    pub words: String,
}

/// When the event happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeFact {
    At(DateTime<Utc>),
    /// A time was given but cannot be taken as it stands (`刚才`, or later than the report):
    /// ask the officer.
    Unclear,
}

/// How many people are involved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct People {
    pub count: u32,
    /// The top of a range (`三四十人`: 30 to 40).
    pub upper: Option<u32>,
    pub qualifier: Qualifier,
}

/// How the officer qualified the count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qualifier {
    Exact,
    /// 约, 大约, 大概, 左右, 上下, 上千.
    About,
    /// 余, 多, 以上, 超过, 逾.
    MoreThan,
    /// 近, 将近, 接近, 不到, 不足.
    Nearly,
    /// `三四十`, `30-40`: `count` to `upper`.
    Range,
}

/// Reads the six facts out of `text`, reported at `reported_at` by a unit in `zone`.
pub fn extract(text: &str, reported_at: DateTime<Utc>, zone: Tz) -> Facts {
    let src = Src::new(text);
    let time = time::find(&src, reported_at, zone);
    let time_span = time.as_ref().map(|(_, span)| span.clone());
    let people = people::find(&src, time_span.clone());
    let people_span = people.as_ref().map(|(_, span)| span.clone());
    let place = place::place(&src, &[time_span, people_span]);
    let place_spans = place
        .as_ref()
        .map_or(&[][..], |(_, spans)| spans.as_slice());
    let cause = place::cause(&src, place_spans);
    let cause_span = cause.as_ref().map(|(_, span)| span.clone());
    let (measures, status) = clauses(&src, cause_span);
    Facts {
        event_time: time.map(|(value, span)| src.fact(value, span)),
        place: place.map(|(value, spans)| src.joined_fact(value, &spans)),
        people: people.map(|(value, span)| src.fact(value, span)),
        cause: cause.map(|(value, span)| src.fact(value, span)),
        measures,
        status,
    }
}

/// A range of characters (not bytes) of the text.
type Span = std::ops::Range<usize>;

/// The text twice: as typed, and with full-width forms folded (one character for one, so a
/// span of one is a span of the other). Rules read the folded text; words come from the typed.
struct Src<'a> {
    typed: &'a str,
    chars: Vec<char>,
    folded: String,
    /// Byte offset of every character in each text, and of the end.
    typed_at: Vec<usize>,
    folded_at: Vec<usize>,
}

impl<'a> Src<'a> {
    fn new(typed: &'a str) -> Self {
        let folded = half_width(typed);
        let offsets = |s: &str| {
            let mut v: Vec<usize> = s.char_indices().map(|(i, _)| i).collect();
            v.push(s.len());
            v
        };
        Src {
            typed,
            chars: folded.chars().collect(),
            typed_at: offsets(typed),
            folded_at: offsets(&folded),
            folded,
        }
    }

    /// The character index of a byte offset of the folded text.
    fn char_at(&self, byte: usize) -> usize {
        self.folded_at.partition_point(|&b| b < byte)
    }

    fn span_of(&self, bytes: std::ops::Range<usize>) -> Span {
        self.char_at(bytes.start)..self.char_at(bytes.end)
    }

    fn folded(&self, span: Span) -> String {
        self.chars[span].iter().collect()
    }

    fn typed(&self, span: Span) -> String {
        self.typed[self.typed_at[span.start]..self.typed_at[span.end]].to_string()
    }

    /// Whether the folded text has `word` at character `at`.
    fn has(&self, at: usize, word: &str) -> bool {
        (at..)
            .zip(word.chars())
            .all(|(i, c)| self.chars.get(i) == Some(&c))
    }

    fn fact<T>(&self, value: T, span: Span) -> Fact<T> {
        Fact {
            value,
            words: self.typed(self.trimmed(span)),
        }
    }

    /// A fact read from several spans (an organisation and a site inside it): their words
    /// joined with `…`, in the order of the text.
    fn joined_fact<T>(&self, value: T, spans: &[Span]) -> Fact<T> {
        Fact {
            value,
            words: spans
                .iter()
                .map(|s| self.typed(self.trimmed(s.clone())))
                .collect::<Vec<_>>()
                .join("…"),
        }
    }

    fn trimmed(&self, span: Span) -> Span {
        let (mut start, mut end) = (span.start, span.end);
        while start < end && self.chars[start].is_whitespace() {
            start += 1;
        }
        while end > start && self.chars[end - 1].is_whitespace() {
            end -= 1;
        }
        start..end
    }
}

/// Ends a clause; the enumeration comma 、 does not (`已报警、已派人到场` is one measure).
fn ends_clause(c: char) -> bool {
    matches!(
        c,
        ',' | '，' | '。' | ';' | '；' | '!' | '！' | '?' | '？' | '\n' | '\r'
    )
}

/// Words that open a clause saying how things are.
const STATUS_OPENERS: &[&str] = &[
    "目前",
    "现在",
    "当前",
    "截至目前",
    "截止目前",
    "现场",
    "情况",
    "事态",
    "局势",
];

/// Words that make a clause say how things are wherever they stand in it.
const STATUS_WORDS: &[&str] = &["情绪", "秩序", "事态", "局势", "态势", "伤亡", "受伤"];

/// What may follow 已 and still be a state reached, not an act done.
const STATES: &[&str] = &[
    "恢复", "平息", "稳定", "散去", "散开", "离开", "撤离", "平稳", "结束", "复工", "解决", "控制",
    "好转", "缓和", "返回", "回到", "得到", "基本", "造成", "导致", "引起", "出现",
];

/// 已 followed by these counts or lasts (`已有200人`, `已持续两小时`): neither act nor state.
const NOT_DONE: &[&str] = &["有", "达", "超", "持续", "经有", "经达", "经持续", "经超"];

enum Kind {
    Measure,
    Status,
}

fn classify(src: &Src, span: Span) -> Option<Kind> {
    let mut act = false;
    let mut state = false;
    for i in span.clone() {
        if src.has(i, "采取") {
            act = true;
        }
        let done = src.chars[i] == '已' && !(i > span.start && src.has(i - 1, "而已"));
        // 正在 before an act is a measure under way (`正在协调`); 存在, 现在 are no 在 of it.
        let doing = src.has(i, "正在");
        if done || doing {
            let after = i + if doing { 2 } else { 1 };
            if NOT_DONE.iter().any(|w| src.has(after, w)) {
                continue;
            }
            let verb = if src.has(after, "经") {
                after + 1
            } else {
                after
            };
            if STATES.iter().any(|w| src.has(verb, w)) {
                state = true;
            } else if verb < span.end {
                act = true;
            }
        }
        if STATUS_WORDS.iter().any(|w| src.has(i, w))
            || i == span.start && STATUS_OPENERS.iter().any(|w| src.has(i, w))
        {
            state = true;
        }
    }
    if act {
        Some(Kind::Measure)
    } else if state {
        Some(Kind::Status)
    } else {
        None
    }
}

type Clauses = (Option<Fact<String>>, Option<Fact<String>>);

/// Measures and status, clause by clause; the cause's clause is the cause, not a measure.
fn clauses(src: &Src, cause: Option<Span>) -> Clauses {
    let mut measures: Vec<Span> = Vec::new();
    let mut status: Vec<Span> = Vec::new();
    let mut start = 0;
    for end in 0..=src.chars.len() {
        if end < src.chars.len() && !ends_clause(src.chars[end]) {
            continue;
        }
        let span = trim(src, start..end);
        start = end + 1;
        if span.is_empty()
            || cause
                .as_ref()
                .is_some_and(|c| c.start < span.end && span.start < c.end)
        {
            continue;
        }
        match classify(src, span.clone()) {
            Some(Kind::Measure) => measures.push(span),
            Some(Kind::Status) => status.push(span),
            None => {}
        }
    }
    let join = |spans: Vec<Span>| {
        (!spans.is_empty()).then(|| Fact {
            value: spans
                .iter()
                .map(|s| src.folded(s.clone()))
                .collect::<Vec<_>>()
                .join("，"),
            words: spans
                .iter()
                .map(|s| src.typed(s.clone()))
                .collect::<Vec<_>>()
                .join("，"),
        })
    };
    (join(measures), join(status))
}

/// A clause without the spaces and the joining words (并, 同时…) around it.
fn trim(src: &Src, span: Span) -> Span {
    let (mut s, mut e) = (span.start, span.end);
    loop {
        while s < e && src.chars[s].is_whitespace() {
            s += 1;
        }
        match ["并且", "同时", "并", "且", "另外"]
            .iter()
            .find(|w| src.has(s, w))
        {
            Some(w) if s + w.chars().count() < e => s += w.chars().count(),
            _ => break,
        }
    }
    while e > s && src.chars[e - 1].is_whitespace() {
        e -= 1;
    }
    s..e
}

#[cfg(test)]
mod table_tests;
#[cfg(test)]
mod tests;
