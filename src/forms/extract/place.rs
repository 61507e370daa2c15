//! The place (after 在, 于, 位于, 地点, or an organisation named where it happened) and the
//! cause (after 因, 由于, 原因是, 起因是).

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
    "起火",
    "着火",
    "失火",
    "坍塌",
    "倒塌",
    "爆炸",
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

/// Ends of a name that make it an organisation or a site where people gather, longest first
/// where one ends another (`有限公司` before `公司`).
const ORG_ENDS: &[&str] = &[
    "有限公司",
    "分公司",
    "公司",
    "集团",
    "工厂",
    "厂",
    "建筑工地",
    "工地",
    "项目部",
    "车间",
    "商场",
    "超市",
    "市场",
    "医院",
    "学校",
    "中学",
    "小学",
    "幼儿园",
    "大学",
    "学院",
    "酒店",
    "宾馆",
    "饭店",
    "广场",
    "大厦",
    "政府",
    "信访局",
    "局",
    "总工会",
    "工会",
    "管委会",
    "委员会",
    "办事处",
    "街道",
    "社区",
    "园区",
    "工业园",
    "产业园",
    "物流园",
    "码头",
    "港区",
    "车站",
    "站点",
    "小区",
    "银行",
    "煤矿",
    "矿",
    "门店",
    "中心",
    "物业",
    "派出所",
    "法院",
];

/// Sites inside an organisation: named alone (`在厂门口`), they are in the organisation the
/// text names before them, and join it (`大连某机械厂厂门口`).
const INSIDE: &[&str] = &[
    "厂门口",
    "厂门",
    "厂区",
    "厂内",
    "厂房",
    "厂部",
    "门口",
    "门前",
    "门外",
    "大门",
    "正门",
    "侧门",
    "后门",
    "东门",
    "西门",
    "南门",
    "北门",
    "项目部",
    "车间",
    "宿舍",
    "职工宿舍",
    "食堂",
    "职工食堂",
    "办公楼",
    "办公室",
    "办公区",
    "楼顶",
    "楼前",
    "楼下",
    "楼内",
    "院内",
    "院子",
    "仓库",
    "会议室",
    "操场",
    "停车场",
    "总部",
    "门诊楼",
    "门诊",
    "住院部",
    "工地",
    "施工现场",
    "生产线",
    "大堂",
    "地下车库",
    "地下室",
    "车库",
    "宿舍楼",
];

/// What ends a name at the start of a clause before it reaches an organisation's end: a verb,
/// a count, a marker of another fact, a pronoun.
const SUBJECT_ENDS: &[&str] = &[
    "在", "于", "到", "赴", "是", "我", "你", "他", "她", "有", "的", "和", "及", "向", "对", "为",
    "让", "给", "请", "说", "已", "正在",
];

/// What, right after an organisation, makes it the one acting, not the place: `区总工会已派人
/// 到场`, `公司正在组织排查`, `区总工会领导…`.
const ACTOR_AFTER: &[&str] = &[
    "已",
    "正在",
    "正",
    "派",
    "立即",
    "迅速",
    "及时",
    "马上",
    "第一时间",
    "高度重视",
    "领导",
    "负责人",
    "积极",
    "会同",
    "联合",
    "组织",
    "表示",
    "称",
    "承诺",
    "同意",
    "主席",
    "干部",
    "工作人员",
    "相关",
    "方面",
    "将",
    "要",
    "会",
    "也",
    "还",
];

/// How many characters may stand between an organisation's end and more of its name.
const NAME_GAP: usize = 4;

/// Words that open a name but say it was named before (`该公司`) or is the officer's own.
const BACK: &[char] = &['该', '本', '此', '这', '我'];

/// A place named after a marker: the marker and the place (for the words and the cause's end),
/// and the place alone.
struct Site {
    whole: Span,
    place: Span,
}

/// Where it happened, stopping before `others` (the time, the count), and the spans it was
/// read from: the site named after 在/于/位于/地点 (or 到/赴/前往 an organisation); an
/// organisation named where a clause begins (`西岗区某物流公司30余名司机停工`) when no site
/// is; both joined when the site is inside the organisation (`大连某机械厂…在厂门口` is
/// `大连某机械厂厂门口`). A site of its own (`到市信访局上访`) is the place alone.
pub(super) fn place(src: &Src, others: &[Option<Span>]) -> Option<(String, Vec<Span>)> {
    let Some(first) = site(src, others, 0) else {
        let org = subject_org(src, others, src.chars.len())?;
        return Some((src.folded(org.clone()), vec![org]));
    };
    let found = src.folded(first.place.clone());
    let org = subject_org(src, others, first.whole.start);
    if let Some(org) = org.filter(|o| inside(&found, Some(&src.folded(o.clone())))) {
        return Some((joined(src, &org, &first.place), vec![org, first.whole]));
    }
    if org_end(src, first.place.clone()).is_some() {
        // `位于大连湾的某船厂，六十余名工人在职工食堂门前聚集`.
        if let Some(second) = site(src, others, first.whole.end)
            .filter(|s| inside(&src.folded(s.place.clone()), Some(&found)))
        {
            return Some((
                joined(src, &first.place, &second.place),
                vec![first.whole, second.whole],
            ));
        }
    }
    Some((found, vec![first.whole]))
}

/// An organisation and a site inside it as one place; a site that repeats the organisation's
/// end (`某电子公司` and `公司门口`) drops it.
fn joined(src: &Src, org: &Span, site: &Span) -> String {
    let org = src.folded(org.clone());
    let site = src.folded(site.clone());
    let repeated = ORG_ENDS
        .iter()
        .filter(|w| w.chars().count() > 1)
        .find(|w| org.ends_with(**w) && site.starts_with(**w) && site.len() > w.len());
    match repeated {
        Some(w) => format!("{org}{}", &site[w.len()..]),
        None => format!("{org}{site}"),
    }
}

/// Whether a site is one inside an organisation (`厂门口`, `3号车间`, `项目部`), or inside
/// `org` by its own end (`公司门口` in a `公司`).
fn inside(site: &str, org: Option<&str>) -> bool {
    let site = site.trim_start_matches(|c: char| c.is_ascii_digit());
    let site = site.strip_prefix('号').unwrap_or(site);
    let site = org
        .and_then(|org| {
            ORG_ENDS
                .iter()
                .filter(|w| w.chars().count() > 1)
                .find(|w| org.ends_with(**w) && site.starts_with(**w))
        })
        .map_or(site, |w| &site[w.len()..]);
    INSIDE.iter().any(|w| site.starts_with(w))
}

/// The end of the last organisation's name in `span`, if one is there.
fn org_end(src: &Src, span: Span) -> Option<usize> {
    span.clone()
        .filter_map(|i| {
            ORG_ENDS
                .iter()
                .filter(|w| i + w.chars().count() <= span.end && src.has(i, w))
                .map(|w| i + w.chars().count())
                .max()
        })
        .max()
}

/// The first site named after a marker at or after `from`.
fn site(src: &Src, others: &[Option<Span>], from: usize) -> Option<Site> {
    let cs = &src.chars;
    for i in from..cs.len() {
        let Some((marker, motion)) = marker(src, i) else {
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
        while end < cs.len()
            && !ends_place(src, start, end, others)
            && !(motion && matches!(cs[end], '在' | '于'))
        {
            end += 1;
        }
        if motion {
            // `到市信访局上访`, `到区总工会求助`: only an organisation, up to its name's end.
            let named = (start..end)
                .filter_map(|j| {
                    ORG_ENDS
                        .iter()
                        .chain(INSIDE)
                        .filter(|w| j + w.chars().count() <= end && src.has(j, w))
                        .map(|w| j + w.chars().count())
                        .max()
                })
                .max();
            match named {
                Some(e) => end = e,
                None => continue,
            }
        }
        while end > start && cs[end - 1].is_whitespace() {
            end -= 1;
        }
        let found = src.folded(start..end);
        if end - start >= 2 && !PROCESS.iter().any(|w| found.contains(w)) {
            return Some(Site {
                whole: i..end,
                place: start..end,
            });
        }
    }
    None
}

/// The first organisation named where a clause begins, before `before`: `西岗区某商场`,
/// `大连某机械厂`, `金州区某厂宿舍`. A name must end as an organisation's does and hold more
/// than that end (`公司` alone names none); one acting (`区总工会已介入`) is no place.
fn subject_org(src: &Src, others: &[Option<Span>], before: usize) -> Option<Span> {
    const TIME_WORDS: &[&str] = &[
        "今天", "昨天", "前天", "今日", "昨日", "今晨", "今早", "昨晚", "今晚", "当天", "当晚",
        "凌晨", "早上", "上午", "中午", "下午", "傍晚", "晚上", "夜里", "深夜",
    ];
    let cs = &src.chars;
    let starts = (0..before).filter(|&s| {
        let clause = s == 0
            || ends_clause(cs[s - 1])
            || matches!(cs[s - 1], '、' | ':' | '：')
            || others.iter().flatten().any(|o| o.end == s);
        // Not inside the time or the count (`14:05` holds a colon).
        clause && !others.iter().flatten().any(|o| o.start < s && s < o.end)
    });
    'start: for s in starts {
        let mut s = s;
        loop {
            while s < before && cs[s].is_whitespace() {
                s += 1;
            }
            match TIME_WORDS.iter().find(|w| src.has(s, w)) {
                Some(w) => s += w.chars().count(),
                None => break,
            }
        }
        if s >= before || BACK.contains(&cs[s]) {
            continue;
        }
        // `一家私营纺织厂`: the article is no part of the name.
        if src.has(s, "一家") {
            s += 2;
        }
        // The name's end so far, and whether an organisation's end is in it. After one, the
        // name goes on only to an end a few characters on (`某快递公司分拣中心`, `某厂宿舍`,
        // `高新园区某软件公司`): `某公司员工王某坠楼…医院` ends at 公司.
        let mut end = s;
        let mut org = false;
        let mut e = s;
        while e < before {
            let c = cs[e];
            let stop = ends_clause(c)
                || matches!(c, '、' | ':' | '：' | '(' | '（' | ')' | '）' | '.')
                || others.iter().flatten().any(|o| o.start == e)
                || PLACE_ENDS.iter().chain(SUBJECT_ENDS).any(|w| src.has(e, w));
            if stop || org && e > end + NAME_GAP {
                break;
            }
            let longest = |words: &[&str]| {
                words
                    .iter()
                    .filter(|w| src.has(e, w))
                    .map(|w| e + w.chars().count())
                    .max()
            };
            let as_org = longest(ORG_ENDS);
            let as_inside = if org { longest(INSIDE) } else { None };
            if let Some(to) = as_org.max(as_inside) {
                org |= as_org.is_some();
                end = end.max(to);
            }
            e += 1;
        }
        if !org || end > before || end - s > 24 {
            continue;
        }
        let name = src.folded(s..end);
        if ORG_ENDS.contains(&name.as_str()) || INSIDE.contains(&name.as_str()) {
            continue;
        }
        let mut after = end;
        while after < cs.len() && cs[after].is_whitespace() {
            after += 1;
        }
        if ACTOR_AFTER.iter().any(|w| src.has(after, w)) {
            continue 'start;
        }
        return Some(s..end);
    }
    None
}

/// Characters before 到 that make it another word: 收到, 接到, 达到, 得到, 受到, 遇到, 想到,
/// 看到, 听到, 感到, 找到, 等到, 做到, 办到, 提到, 说到, 谈到, 讲到, 迟到, 报到, 直到.
const NOT_BEFORE_DAO: &[char] = &[
    '收', '接', '达', '得', '受', '遇', '想', '看', '听', '感', '找', '等', '做', '办', '提', '说',
    '谈', '讲', '迟', '报', '直',
];

/// Characters after 到 that make it another word: 到期, 到位, 到达, 到底, 到处, 到时, 到来,
/// 到了, 到过, 到手, 到点, 到场, 到齐, 到岗, 到任, 到账.
const NOT_AFTER_DAO: &[char] = &[
    '期', '位', '达', '底', '处', '时', '来', '了', '过', '手', '点', '场', '齐', '岗', '任', '账',
];

/// Words of sending or acting before 到 in its clause: `已派人到公司` is a measure, not a
/// place.
const SENT_BEFORE: &[&str] = &["派", "已", "正在", "赶", "出动", "组织", "安排"];

/// The length of the place marker at `i`, if one is there, and whether it is one of going
/// somewhere (到, 赴, 前往, 来到), which names only an organisation.
fn marker(src: &Src, i: usize) -> Option<(usize, bool)> {
    let cs = &src.chars;
    let before = i.checked_sub(1).map(|j| cs[j]);
    let after = cs.get(i + 1).copied();
    if src.has(i, "位于") {
        return Some((2, false));
    }
    if ["地点是", "地点为", "地点:", "地点："]
        .iter()
        .any(|w| src.has(i, w))
    {
        return Some((3, false));
    }
    if src.has(i, "地点") && cs.get(i + 2).is_some_and(|c| c.is_whitespace()) {
        return Some((2, false));
    }
    let motion = if src.has(i, "前往") || src.has(i, "来到") {
        Some(2)
    } else if cs[i] == '赴'
        || cs[i] == '到'
            && before.is_none_or(|c| !NOT_BEFORE_DAO.contains(&c))
            && after.is_none_or(|c| !NOT_AFTER_DAO.contains(&c))
    {
        Some(1)
    } else {
        None
    };
    if let Some(len) = motion {
        let clause = (0..i)
            .rev()
            .find(|&j| ends_clause(cs[j]))
            .map_or(0, |j| j + 1);
        let sent = (clause..i).any(|j| SENT_BEFORE.iter().any(|w| src.has(j, w)));
        return (!sent).then_some((len, true));
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
    (zai || yu).then_some((1, false))
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
    "讨要",
    "围堵",
    "静坐",
    "集会",
    "堵",
    "拉横幅",
];

/// The first cause the text gives, up to the end of its clause, what it led to, or the place
/// (`因欠薪在门口静坐`).
pub(super) fn cause(src: &Src, place: &[Span]) -> Option<(String, Span)> {
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
        let ends_cause = |end: usize| {
            ends_clause(cs[end])
                || end > start && CAUSE_ENDS.iter().any(|w| src.has(end, w))
                || place.iter().any(|p| p.start == end)
        };
        let mut end = start;
        while end < cs.len() && !ends_cause(end) {
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
