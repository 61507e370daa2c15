//! The extraction read against sentences as officers type them under pressure.
//!
//! Every case is one line: the sentence, then all six facts in order — time | place | people |
//! cause | measures | status — `-` where the fact must be absent. A time is `MM-DD HH:MM` of
//! 2026 in Shanghai or `?` (Unclear); people are `count[-upper] qualifier words`. Every report
//! is taken at 2026-12-01 15:00 Shanghai, so later times on that day are in the future.

use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;

use super::*;

const SHANGHAI: Tz = chrono_tz::Asia::Shanghai;

fn reported() -> DateTime<Utc> {
    local(12, 1, 15, 0)
}

fn local(mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    SHANGHAI
        .with_ymd_and_hms(2026, mo, d, h, mi, 0)
        .unwrap()
        .with_timezone(&Utc)
}

/// Times written every way an officer writes them, with the other facts around them.
const TIMES: &str = "
14:30左右，约200名职工在公司门口聚集，因拖欠工资三个月，已报警，目前情绪稳定 => 12-01 14:30 | 公司门口 | 200 About 约200名职工 | 拖欠工资三个月 | 已报警 | 目前情绪稳定
今天上午9点，华丰纺织厂100人左右在厂区聚集讨薪 => 12-01 09:00 | 华丰纺织厂厂区 | 100 About 100人左右 | - | - | -
下午2点半，开发区某电子公司发生停工，300余名员工聚集在厂门口 => 12-01 14:30 | 开发区某电子公司厂门口 | 300 MoreThan 300余名员工 | - | - | -
下午两点半，约50名农民工在市政府门前拉横幅讨要工钱 => 12-01 14:30 | 市政府门前 | 50 About 约50名农民工 | - | - | -
昨晚8点，有两百多人在恒达小区东门聚集，现场秩序已恢复 => 11-30 20:00 | 恒达小区东门 | 200 MoreThan 两百多人 | - | - | 现场秩序已恢复
昨天 20:00 左右，近百人聚集在区人社局门口，要求补缴社保 => 11-30 20:00 | 区人社局门口 | 100 Nearly 近百人 | - | - | -
11月22日14时许，于某建筑工地发生群体讨薪事件，约300人参与 => 11-22 14:00 | 某建筑工地 | 300 About 约300人 | - | - | -
2026-11-22 14:30在XX物流园区门口，三四十人围堵大门 => 11-22 14:30 | XX物流园区门口 | 30-40 Range 三四十人 | - | - | -
半小时前，在滨海路一工地有工人坠落，已拨打120 => 12-01 14:30 | 滨海路一工地 | - | - | 已拨打120 | -
10分钟前，建材市场发生火灾，现场有人员被困 => 12-01 14:50 | 建材市场 | - | - | - | 现场有人员被困
一个小时前大约200名职工在市总工会门口上访 => 12-01 14:00 | 市总工会门口 | 200 About 大约200名职工 | - | - | -
一个半小时前，两三百名职工聚集在集团总部，要求兑现年终奖每人5000元 => 12-01 13:30 | 集团总部 | 200-300 Range 两三百名职工 | - | - | -
刚才有上千名职工聚集在开发区管委会，情况紧急 => ? | 开发区管委会 | 1000 About 上千名职工 | - | - | 情况紧急
刚刚接到电话，约30人在东港大厦楼顶，情绪激动 => ? | 东港大厦楼顶 | 30 About 约30人 | - | - | 情绪激动
十四时三十分，五百余名职工在厂区集会 => 12-01 14:30 | 厂区 | 500 MoreThan 五百余名职工 | - | - | -
今晚7点会有工人在广场集会 => ? | 广场 | - | - | - | -
15:40，约80名工人在车间停工 => ? | 车间 | 80 About 约80名工人 | - | - | -
凌晨3点，金州区某厂宿舍发生火灾，2人受伤，已送医 => 12-01 03:00 | 金州区某厂宿舍 | 2 Exact 2人 | - | 已送医 | 2人受伤
晚上十一点半，约二十名工人堵在厂门口 => ? | 厂门口 | 20 About 约二十名工人 | - | - | -
今天中午12点10分，10余名环卫工人在区政府门口静坐 => 12-01 12:10 | 区政府门口 | 10 MoreThan 10余名 | - | - | -
今早8点15分前后，公交公司30多名司机停运 => 12-01 08:15 | 公交公司 | 30 MoreThan 30多名司机 | - | - | -
前天下午4点，200名左右的职工在公司总部抗议裁员 => 11-29 16:00 | 公司总部 | 200 About 200名左右 | - | - | -
１４：３０，约２００人在区政府门口聚集 => 12-01 14:30 | 区政府门口 | 200 About 约２００人 | - | - | -
12月1日上午10时许，在新区某工地约60名工人聚集讨薪，原因是包工头失联，目前已报警 => 12-01 10:00 | 新区某工地 | 60 About 约60名工人 | 包工头失联 | 目前已报警 | -
今天下午１点４０分左右，在金州区某服装厂，约１５０名女工因企业欠薪两个月停工，已报警并派员到场，目前秩序平稳 => 12-01 13:40 | 金州区某服装厂 | 150 About 约１５０名 | 企业欠薪两个月 | 已报警并派员到场 | 目前秩序平稳
11月30日晚9点许，化工园区有近百名工人聚集，起因是倒班制度调整，区安监局已介入调查 => 11-30 21:00 | 化工园区 | 100 Nearly 近百名工人 | 倒班制度调整 | 区安监局已介入调查 | -
昨日凌晨两点，某外卖站点发生纠纷，十余名骑手围堵站长，无人受伤 => 11-30 02:00 | 某外卖站点 | 10 MoreThan 十余名 | - | - | 无人受伤
下午3点20分，第二批约40人到达现场，共计120余人 => ? | - | 120 MoreThan 120余人 | - | - | -
下午1点，运输公司三十多名司机在站前广场停车抗议，车辆约50辆 => 12-01 13:00 | 站前广场 | 30 MoreThan 三十多名司机 | - | - | -
2100-01-01 10:00，有人在厂区 => ? | 厂区 | - | - | - | -
今天下午3点左右，在开发区东方电子有限公司门口，约有150余名职工聚集，原因是企业拖欠两个月工资，区总工会已派人到场，目前现场秩序平稳 => 12-01 15:00 | 开发区东方电子有限公司门口 | 150 MoreThan 约有150余名职工 | 企业拖欠两个月工资 | 区总工会已派人到场 | 目前现场秩序平稳
上午十点多，市二医院有二三十名护工因合同到期不续签在门诊楼前静坐，已和院方沟通 => 12-01 10:00 | 市二医院门诊楼前 | 20-30 Range 二三十名 | 合同到期不续签 | 已和院方沟通 | -
接报：14:05 某小区工地塔吊倒塌，3人被困，1人死亡，已报警，消防正在救援 => 12-01 14:05 | 某小区工地 | 3 Exact 3人 | - | 已报警，消防正在救援 | -
昨天晚上9点半，化工厂发生爆炸，大约有80名工人受伤，现在已送往医院 => 11-30 21:30 | 化工厂 | 80 About 大约有80名工人 | - | 现在已送往医院 | 大约有80名工人受伤
2026年11月30日 08:30，约百名出租车司机在火车站广场停运，现已疏导 => 11-30 08:30 | 火车站广场 | 100 About 约百名 | - | 现已疏导 | -
四十分钟前有人在江边跳河，已救起 => 12-01 14:20 | 江边 | - | - | 已救起 | -
";

/// Counts among dates, money, ages, shares and things; places among words holding 在 and 于.
const PEOPLE_AND_PLACES: &str = "
约200名职工因企业拖欠3个月工资共计150万元集体上访，其中45岁以上职工占60% => - | - | 200 About 约200名职工 | 企业拖欠3个月工资共计150万元 | - | -
3辆车堵住厂门，车上有12名工人，人均被欠薪8000元 => - | - | 12 Exact 12名工人 | - | - | -
天然气公司30%的员工（约150人）因降薪罢工 => - | 天然气公司 | 150 About 约150人 | 降薪 | - | -
今年45岁的职工王某在厂房顶部欲跳楼，已派3名工作人员到场劝解 => - | 厂房顶部 | - | - | 已派3名工作人员到场劝解 | -
2026年11月30日，某公司100余名职工到市信访局上访，每人被拖欠工资2万余元 => - | 市信访局 | 100 MoreThan 100余名职工 | - | - | -
14时30分，两三百名职工聚集在集团总部，要求兑现年终奖每人5000元 => 12-01 14:30 | 集团总部 | 200-300 Range 两三百名职工 | - | - | -
近千名外卖骑手在商圈停工 => - | 商圈 | 1000 Nearly 近千名 | - | - | -
约有60位业主在售楼处维权 => - | 售楼处 | 60 About 约有60位业主 | - | - | -
不到20人在门口 => - | 门口 | 20 Nearly 不到20人 | - | - | -
超过500人参与，已造成交通拥堵 => - | - | 500 MoreThan 超过500人 | - | - | 已造成交通拥堵
约1.5万名职工受影响 => - | - | 15000 About 约1.5万名职工 | - | - | -
30-40人在车站广场 => - | 车站广场 | 30-40 Range 30-40人 | - | - | -
七八个人在楼顶拉横幅 => - | 楼顶 | 7-8 Range 七八个人 | - | - | -
拖欠50万人民币，数百名工人在场外 => - | - | - | - | - | -
公司正在组织人员排查，存在安全隐患 => - | - | - | - | 公司正在组织人员排查 | -
目前正在与职工代表协商，现在情况基本稳定 => - | - | - | - | 目前正在与职工代表协商 | 现在情况基本稳定
职工位于龙华路88号的宿舍楼发生火情 => - | 龙华路88号的宿舍楼 | - | - | - | -
事发地点：甘井子区华北路工业园 => - | 甘井子区华北路工业园 | - | - | - | -
地点是金普新区大孤山半岛码头，约70名装卸工停工 => - | 金普新区大孤山半岛码头 | 70 About 约70名 | - | - | -
于今天上午在市人社局信访大厅，20余名职工反映社保问题 => - | 市人社局信访大厅 | 20 MoreThan 20余名职工 | - | - | -
在3号车间有工人晕倒，已送医院救治 => - | 3号车间 | - | - | 已送医院救治 | -
在12时左右，工人在食堂聚集 => 12-01 12:00 | 食堂 | - | - | - | -
实在没办法了，工人们都在厂门口坐着 => - | 厂门口 | - | - | - | -
位于大连湾的某船厂，六十余名工人在职工食堂门前聚集 => - | 大连湾的某船厂 | 60 MoreThan 六十余名工人 | - | - | -
情况还在进一步核实中 => - | - | - | - | - | 情况还在进一步核实中
职工现在情绪还在激动，正在做安抚工作 => - | - | - | - | 正在做安抚工作 | 职工现在情绪还在激动
";

/// Causes, measures and the handling status, and sentences with nothing to take.
const CLAUSES_AND_NOTHING: &str = "
由于工资问题，职工情绪激动 => - | - | - | 工资问题 | - | 职工情绪激动
起因是企业搬迁补偿标准过低，引发职工不满 => - | - | - | 企业搬迁补偿标准过低 | - | -
原因为公司单方面解除劳动合同 => - | - | - | 公司单方面解除劳动合同 | - | -
因拖欠工资引发群体上访，原因系开发商资金链断裂 => - | - | - | 拖欠工资 | - | -
基因检测公司员工因裁员补偿问题与公司发生冲突 => - | - | - | 裁员补偿问题 | - | -
因为社保断缴，近四十名职工到区总工会求助 => - | 区总工会 | 40 Nearly 近四十名职工 | 社保断缴 | - | -
已报警、已派人到场，现场秩序已恢复 => - | - | - | - | 已报警、已派人到场 | 现场秩序已恢复
采取了劝导措施，事态得到控制 => - | - | - | - | 采取了劝导措施 | 事态得到控制
区总工会已经介入，正在协调企业补发工资，职工情绪趋于平稳 => - | - | - | - | 区总工会已经介入，正在协调企业补发工资 | 职工情绪趋于平稳
目前已启动应急预案，无人员伤亡 => - | - | - | - | 目前已启动应急预案 | 无人员伤亡
现在人群已散去，部分职工已返回岗位 => - | - | - | - | - | 现在人群已散去，部分职工已返回岗位
公安机关已出警，并已与企业负责人取得联系 => - | - | - | - | 公安机关已出警，已与企业负责人取得联系 | -
并且暂无人员伤亡 => - | - | - | - | - | 暂无人员伤亡
请问紧急信息怎么报？ => - | - | - | - | - | -
收到 => - | - | - | - | - | -
喂喂，我是开发区总工会的小王 => - | - | - | - | - | -
 => - | - | - | - | - | -
具体情况我稍后电话说明 => - | - | - | - | - | -
公司存在拖欠工资现象，职工反映强烈 => - | - | - | - | - | -
2026年第一季度职工队伍总体稳定 => - | - | - | - | - | -
有一点小情况需要汇报，一时说不清 => - | - | - | - | - | -
这个月工资3000元还没发，工人们45岁左右 => - | - | - | - | - | -
按第2点要求上报 => - | - | - | - | - | -
约200人，3000元，45岁，3辆车，11月22日 => - | - | 200 About 约200人 | - | - | -
";

fn expected_time(spec: &str) -> Option<TimeFact> {
    match spec {
        "-" => None,
        "?" => Some(TimeFact::Unclear),
        s => {
            let n: Vec<u32> = s
                .split([' ', '-', ':'])
                .map(|p| p.parse().unwrap())
                .collect();
            Some(TimeFact::At(local(n[0], n[1], n[2], n[3])))
        }
    }
}

fn expected_people(spec: &str) -> Option<(People, String)> {
    if spec == "-" {
        return None;
    }
    let parts: Vec<&str> = spec.splitn(3, ' ').collect();
    let (count, upper) = match parts[0].split_once('-') {
        Some((a, b)) => (a.parse().unwrap(), Some(b.parse().unwrap())),
        None => (parts[0].parse().unwrap(), None),
    };
    let qualifier = match parts[1] {
        "Exact" => Qualifier::Exact,
        "About" => Qualifier::About,
        "MoreThan" => Qualifier::MoreThan,
        "Nearly" => Qualifier::Nearly,
        "Range" => Qualifier::Range,
        q => panic!("no qualifier {q}"),
    };
    let people = People {
        count,
        upper,
        qualifier,
    };
    Some((people, parts[2].to_string()))
}

fn text(spec: &str) -> Option<String> {
    (spec != "-").then(|| spec.to_string())
}

/// Checks every case of a table; returns how many there were.
pub(super) fn check_table(table: &str) -> usize {
    let mut failures = Vec::new();
    let mut cases = 0;
    for line in table.lines().filter(|l| l.contains(" => ")) {
        cases += 1;
        let (sentence, facts) = line.split_once(" => ").unwrap();
        let sentence = sentence.trim();
        let f: Vec<&str> = facts.split(" | ").map(str::trim).collect();
        assert_eq!(f.len(), 6, "six facts for {sentence}");
        let got = extract(sentence, reported(), SHANGHAI);
        let got_people = got.people.as_ref().map(|p| (p.value, p.words.clone()));
        let value = |x: &Option<Fact<String>>| x.as_ref().map(|x| x.value.clone());
        let checks = [
            (
                "time",
                format!("{:?}", got.event_time.as_ref().map(|t| t.value)),
                format!("{:?}", expected_time(f[0])),
            ),
            (
                "place",
                format!("{:?}", value(&got.place)),
                format!("{:?}", text(f[1])),
            ),
            (
                "people",
                format!("{got_people:?}"),
                format!("{:?}", expected_people(f[2])),
            ),
            (
                "cause",
                format!("{:?}", value(&got.cause)),
                format!("{:?}", text(f[3])),
            ),
            (
                "measures",
                format!("{:?}", value(&got.measures)),
                format!("{:?}", text(f[4])),
            ),
            (
                "status",
                format!("{:?}", value(&got.status)),
                format!("{:?}", text(f[5])),
            ),
        ];
        for (name, got, want) in checks {
            if got != want {
                failures.push(format!("{sentence}\n  {name}: got {got}, want {want}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    cases
}

#[test]
fn times_written_every_way_are_read_and_the_future_or_vague_ones_are_asked() {
    assert_eq!(check_table(TIMES), 36);
}

#[test]
fn counts_of_people_are_told_from_money_ages_things_and_places_from_other_words_with_zai() {
    assert_eq!(check_table(PEOPLE_AND_PLACES), 26);
}

#[test]
fn causes_measures_and_status_are_split_and_chatter_yields_nothing() {
    assert_eq!(check_table(CLAUSES_AND_NOTHING), 24);
}

#[test]
fn every_fact_keeps_the_officers_words_as_typed_full_width_included() {
    let facts = extract(
        "１４：３０在３号车间，因欠薪，约２００人聚集，已报警，目前平稳",
        reported(),
        SHANGHAI,
    );
    let words = |f: Option<String>| f.unwrap_or_default();
    assert_eq!(words(facts.event_time.map(|f| f.words)), "１４：３０");
    assert_eq!(words(facts.place.clone().map(|f| f.words)), "在３号车间");
    // The value is read folded, so digits compare and print the same everywhere.
    assert_eq!(words(facts.place.map(|f| f.value)), "3号车间");
    assert_eq!(words(facts.cause.map(|f| f.words)), "因欠薪");
    assert_eq!(words(facts.people.map(|f| f.words)), "约２００人");
    assert_eq!(words(facts.measures.map(|f| f.words)), "已报警");
    assert_eq!(words(facts.status.map(|f| f.words)), "目前平稳");
}

#[test]
fn a_time_a_few_minutes_after_the_report_is_asked_not_taken_as_a_fast_clock() {
    // The date parser forgives five minutes of clock skew; an urgent report's hour is measured
    // from this time, so it is never moved silently.
    let facts = extract("15:03发生", reported(), SHANGHAI);
    assert_eq!(facts.event_time.map(|t| t.value), Some(TimeFact::Unclear));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn extract_never_panics_and_single_span_words_come_from_the_text(
        text in prop_oneof![
            any::<String>(),
            "\\PC{0,40}",
            prop::collection::vec(prop::sample::select(vec![
                "在", "于", "因", "已", "目前", "约", "余", "多", "近", "人", "名", "位", "点", "时",
                "分", ":", "半", "前", "小时", "分钟", "昨晚", "下午", "今天", "月", "日", "-", "1",
                "12", "２", "三", "四", "十", "百", "千", "万", "两", "，", "、", " ", "\u{3000}",
                "正在", "存在", ".", "5", "至", "🙂", "\u{301}",
            ]), 0..16).prop_map(|p| p.concat()),
        ]
    ) {
        let facts = extract(&text, reported(), SHANGHAI);
        // A place of two parts (an organisation and a site inside it) joins them with `…`.
        let place_parts = facts
            .place
            .map(|f| f.words.split('…').map(str::to_string).collect::<Vec<_>>())
            .unwrap_or_default();
        for words in [
            facts.event_time.map(|f| f.words),
            facts.people.map(|f| f.words),
            facts.cause.map(|f| f.words),
        ]
        .into_iter()
        .flatten()
        .chain(place_parts)
        {
            prop_assert!(text.contains(&words), "{words:?} not in {text:?}");
        }
    }
}
