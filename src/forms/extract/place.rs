//! The place (after 在, 于, 位于, 地点) and the cause (after 因, 由于, 原因是, 起因是).

use super::{Span, Src, ends_clause};

/// Verbs and words that end a place: what the crowd did there, or the next fact beginning.
const PLACE_ENDS: &[&str] = &[
    "发生",
    "聚集",
    "集聚",
    "聚众",
    "围堵",
    "堵塞",
    "堵住",
    "堵门",
    "拉横幅",
    "打横幅",
    "拉起",
    "上访",
    "讨薪",
    "讨要",
    "静坐",
    "集会",
    "停工",
    "罢工",
    "怠工",
    "闹事",
    "要求",
    "出现",
    "举行",
    "进行",
    "滞留",
    "抗议",
    "反映",
    "爆发",
    "引发",
    "围观",
    "集合",
    "等待",
    "等候",
    "因",
    "由于",
    "与",
    "把",
    "将",
    "被",
    "附近有",
    "有约",
    "有近",
    "约",
    "大约",
    "情绪",
    "目前",
    "现场",
    "欲",
    "扬言",
    "企图",
    "试图",
    "准备",
    "停车",
    "停运",
    "维权",
    "跳",
];

/// Work on a matter, not a place: `还在进一步核实中`.
const PROCESS: &[&str] = &[
    "核实", "处理", "调查", "协商", "协调", "商谈", "谈判", "沟通", "了解",
];

/// Characters before 在 that make it another word: 正在, 存在, 现在, 实在, 所在, 自在, 好在, 旨在.
/// 还在, 仍在 are "still" (`还在激动`) far more often than a place, which is then asked.
const NOT_BEFORE_ZAI: &[char] = &[
    '正', '存', '现', '实', '所', '自', '好', '旨', '不', '还', '仍',
];
/// Characters after 在 that make it another word: 在于, 在职, 在岗, 在建, 在编, 在册, 在线, 在意,
/// 在乎, 在场.
const NOT_AFTER_ZAI: &[char] = &['于', '职', '岗', '建', '编', '册', '线', '意', '乎', '场'];
/// What 于 names a place after: the start of a clause (`于某工地`) or an event's verb
/// (`发生于`); after anything else it is part of a word (趋于, 属于, 由于, 处于, 等于…).
const BEFORE_YU: &[&str] = &[
    "发生", "聚集", "集中", "集聚", "滞留", "出现", "爆发", "坠落", "起火", "事发", "发现", "许",
];

/// The first place the text names, stopping before `others` (the time, the count).
pub(super) fn place(src: &Src, others: &[Option<Span>]) -> Option<(String, Span)> {
    let cs = &src.chars;
    for i in 0..cs.len() {
        let Some(marker) = marker(src, i) else {
            continue;
        };
        let mut start = i + marker;
        while start < cs.len() && cs[start].is_whitespace() {
            start += 1;
        }
        // `于11月22日14时许在…`, `在今天上午`: a time, not a place; the place may follow.
        if starts_with_time(src, start, others) {
            continue;
        }
        let mut end = start;
        while end < cs.len() && !ends_place(src, start, end, others) {
            end += 1;
        }
        while end > start && cs[end - 1].is_whitespace() {
            end -= 1;
        }
        let found = src.folded(start..end);
        if end - start >= 2 && !PROCESS.iter().any(|w| found.contains(w)) {
            return Some((found, i..end));
        }
    }
    None
}

/// The length of the place marker at `i`, if one is there.
fn marker(src: &Src, i: usize) -> Option<usize> {
    let cs = &src.chars;
    let before = i.checked_sub(1).map(|j| cs[j]);
    let after = cs.get(i + 1).copied();
    if src.has(i, "位于") {
        return Some(2);
    }
    if ["地点是", "地点为", "地点:", "地点："]
        .iter()
        .any(|w| src.has(i, w))
    {
        return Some(3);
    }
    if src.has(i, "地点") && cs.get(i + 2).is_some_and(|c| c.is_whitespace()) {
        return Some(2);
    }
    let zai = cs[i] == '在'
        && before.is_none_or(|c| !NOT_BEFORE_ZAI.contains(&c))
        && after.is_none_or(|c| !NOT_AFTER_ZAI.contains(&c));
    let yu = cs[i] == '于'
        && before.is_none_or(|c| {
            ends_clause(c)
                || c.is_whitespace()
                || BEFORE_YU.iter().any(|w| {
                    let n = w.chars().count();
                    i >= n && src.has(i - n, w)
                })
        })
        && after != Some('是');
    (zai || yu).then_some(1)
}

/// Whether the place begun at `start` ends before `end`.
fn ends_place(src: &Src, start: usize, end: usize, others: &[Option<Span>]) -> bool {
    let cs = &src.chars;
    let c = cs[end];
    ends_clause(c)
        || matches!(c, '、' | ':' | '：' | '(' | '（' | ')' | '）' | '。' | '.')
        || others.iter().flatten().any(|o| o.start == end)
        || end > start
            && (PLACE_ENDS.iter().any(|w| src.has(end, w))
                // A verb going on (`坐着`, `站着`) ends it.
                || cs.get(end + 1) == Some(&'着')
                // 有 ends it (`厂门口有200人`), but not in 有限公司.
                || c == '有' && cs.get(end + 1) != Some(&'限'))
}

fn starts_with_time(src: &Src, at: usize, others: &[Option<Span>]) -> bool {
    const TIME_WORDS: &[&str] = &[
        "今天", "昨天", "前天", "今日", "昨日", "今晨", "今早", "昨晚", "今晚", "当天", "当晚",
        "凌晨", "早上", "上午", "中午", "下午", "傍晚", "晚上", "夜里", "深夜",
    ];
    others.iter().flatten().any(|o| o.start == at)
        || src.chars.get(at).is_some_and(|c| c.is_ascii_digit())
            && (at..src.chars.len().min(at + 12))
                .any(|j| matches!(src.chars[j], '月' | '年' | '时' | '点' | ':' | '-' | '/'))
            && !(at..src.chars.len())
                .take_while(|&j| src.chars[j].is_ascii_digit())
                .any(|j| {
                    src.chars
                        .get(j + 1)
                        .is_some_and(|c| matches!(c, '号' | '楼' | '栋' | '车'))
                })
        || TIME_WORDS.iter().any(|w| src.has(at, w))
}

/// Markers of a cause, longest first.
const CAUSE_MARKERS: &[&str] = &[
    "原因是",
    "原因为",
    "原因系",
    "起因是",
    "起因为",
    "原因:",
    "原因：",
    "起因:",
    "起因：",
    "因为",
    "由于",
    "因",
];

/// Words that end a cause: what it led to.
const CAUSE_ENDS: &[&str] = &[
    "引发",
    "导致",
    "造成",
    "致使",
    "从而",
    "而引起",
    "引起",
    "而",
    "与",
    "发生",
    "聚集",
    "集聚",
    "集体",
    "上访",
    "停工",
    "罢工",
    "怠工",
    "讨薪",
    "围堵",
    "静坐",
    "集会",
    "堵",
    "拉横幅",
];

/// The first cause the text gives, up to the end of its clause, what it led to, or the place
/// (`因欠薪在门口静坐`).
pub(super) fn cause(src: &Src, place: Option<&Span>) -> Option<(String, Span)> {
    let cs = &src.chars;
    for i in 0..cs.len() {
        let Some(marker) = CAUSE_MARKERS.iter().find(|w| src.has(i, w)) else {
            continue;
        };
        if *marker == "因" {
            // 原因, 起因, 基因, 诱因, 主因, 成因 without 是; 因此, 因而, 因素, 因果.
            let before = i.checked_sub(1).map(|j| cs[j]);
            if before.is_some_and(|c| "原起基诱主成".contains(c))
                || cs.get(i + 1).is_some_and(|&c| "此而素果".contains(c))
            {
                continue;
            }
        }
        let mut start = i + marker.chars().count();
        while start < cs.len() && cs[start].is_whitespace() {
            start += 1;
        }
        let mut end = start;
        while end < cs.len()
            && !ends_clause(cs[end])
            && !(end > start && CAUSE_ENDS.iter().any(|w| src.has(end, w)))
            && place.is_none_or(|p| p.start != end)
        {
            end += 1;
        }
        while end > start && cs[end - 1].is_whitespace() {
            end -= 1;
        }
        if end - start >= 2 {
            return Some((src.folded(start..end), i..end));
        }
    }
    None
}
