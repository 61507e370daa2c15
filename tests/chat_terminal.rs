//! The terminal channel from outside: the release-built program's `unionbot chat`, driven over
//! stdin and stdout as a person would type, on SQLite and PostgreSQL. The same conversations as
//! in Telegram: join with an invitation, file an item through the whole form, and `/score`
//! shows it, with the same records the command line then reads.

mod common;

use std::io::{Read, Write};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use chrono::Utc;
use common::cli::{Office, UNITS, binary};
use unionbot::channel::terminal::PROMPT;
use unionbot::domain::Role;
use unionbot::i18n::{Locale, t};
use unionbot::period::{Period, Quarter};
use unionbot::records::Recorder;

const ZH: Locale = Locale::ZhCn;

/// A running `unionbot chat`, its output read as it comes.
struct Terminal {
    child: Child,
    stdin: Option<ChildStdin>,
    output: Receiver<Vec<u8>>,
    /// Everything printed so far.
    seen: String,
}

impl Terminal {
    fn start(url: &str, who: &str) -> Terminal {
        let mut child = binary()
            .args(["--database", url, "--lang", "zh-CN", "chat", "--as", who])
            .env("UNIONBOT_SCHEDULER", "off")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the program starts");
        let mut stdout = child.stdout.take().expect("its output");
        let (send, output) = channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 || send.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        Terminal {
            child,
            stdin,
            output,
            seen: String::new(),
        }
    }

    /// What the program printed until it waits for the next line.
    fn answer(&mut self) -> String {
        let from = self.seen.len();
        let mut bytes = Vec::new();
        loop {
            let chunk = self
                .output
                .recv_timeout(Duration::from_secs(30))
                .unwrap_or_else(|_| panic!("no prompt after:\n{}", self.seen));
            bytes.extend(chunk);
            if let Ok(text) = std::str::from_utf8(&bytes)
                && text.ends_with(PROMPT)
            {
                self.seen.push_str(text);
                return self.seen[from..].to_string();
            }
        }
    }

    /// Types a line; what the bot answered.
    fn say(&mut self, line: &str) -> String {
        let stdin = self.stdin.as_mut().expect("input open");
        writeln!(stdin, "{line}").unwrap();
        stdin.flush().unwrap();
        self.answer()
    }

    /// Types the number of the choice labelled `label` in the last answer.
    fn choose(&mut self, answer: &str, label: &str) -> String {
        let number = answer
            .lines()
            .rev()
            .filter_map(|l| l.trim().split_once(". "))
            .filter(|(_, l)| *l == label || l.split_once(". ").is_some_and(|(_, l)| l == label))
            .map(|(n, _)| n.to_string())
            .next()
            .unwrap_or_else(|| panic!("no choice {label:?} in\n{answer}"));
        self.say(&number)
    }

    /// Ends the input; whether the program then ended well.
    fn end(mut self) -> bool {
        drop(self.stdin.take());
        self.child.wait().expect("the program ends").success()
    }
}

/// An invitation for 王丽, officer of District One, made on the command line: its code.
async fn officer_invitation(office: &Office) -> String {
    let invite = office
        .ok_in(
            "zh-CN",
            &[
                "invite", "--unit", "d1", "--role", "officer", "--name", "王丽",
            ],
        )
        .await;
    invite
        .split_whitespace()
        .find(|w| w.len() >= 16 && w.chars().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or_else(|| panic!("a code in {invite}"))
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_officer_joins_files_an_item_and_sees_it_in_score_through_the_terminal() {
    for db in common::databases().await {
        let office = Office::new(&db.url);
        office.import("unit", UNITS).await.unwrap();
        let code = officer_invitation(&office).await;

        let mut terminal = Terminal::start(&db.url, &code);
        let welcome = terminal.answer();
        assert!(welcome.contains(&t(ZH, "chat.intro", &[])), "{welcome}");
        assert!(
            welcome.contains("王丽") && welcome.contains("District One"),
            "{welcome}"
        );

        let category = terminal.say("/submit");
        assert!(
            category.contains(&t(ZH, "bot.submit.intro", &[])),
            "{category}"
        );
        let title = terminal.choose(&category, &t(ZH, "category.4", &[]));
        let mut answer = title;
        for line in [
            "职工关注医保新政",
            "正文写在这里",
            "市总办公室",
            "张三",
            "李四",
            "今天",
            "30",
        ] {
            answer = terminal.say(line);
        }
        assert!(answer.contains("职工关注医保新政"), "the summary: {answer}");
        let stored = terminal.choose(&answer, &t(ZH, "form.button.confirm", &[]));
        assert!(
            stored.contains(&t(ZH, "form.stored", &[("number", "1")])),
            "{stored}"
        );

        let score = terminal.say("/score");
        assert!(terminal.end(), "the chat ends with the input");
        // What /score says is what the scoring engine says on the command line, the item in it.
        let quarter = Quarter::of_instant(chrono::Utc::now(), chrono_tz::Asia::Shanghai);
        let code = quarter.to_string();
        let counted = office
            .json(&["score", "--unit", "d1", "--period", &code])
            .await;
        let points = counted["points"].to_string();
        assert_ne!(points, "0", "the item earns points: {counted}");
        let title = t(
            ZH,
            "score.title",
            &[
                ("name", "District One"),
                ("code", "d1"),
                ("period", &Period::Quarter(quarter).label(ZH)),
                ("points", &points),
            ],
        );
        assert!(score.contains(&title), "{title:?} in\n{score}");

        // The item is the office's record like any other, filed by the terminal's person.
        let items = office
            .json(&["item", "list", "--period", "2026", "--unit", "d1"])
            .await;
        let titles: Vec<&str> = items
            .as_array()
            .expect("a list")
            .iter()
            .filter_map(|i| i["title"].as_str())
            .collect();
        assert_eq!(titles, ["职工关注医保新政"], "{items}");
        let people = office.json(&["person", "list"]).await;
        assert_eq!(people.as_array().map(Vec::len), Some(1), "{people}");
        assert_eq!(people[0]["name"], "王丽");

        // The same person chats again by number, without any invitation, and sees the item.
        let mut again = Terminal::start(&db.url, &people[0]["id"].to_string());
        again.answer();
        let mine = again.say("/mine");
        assert!(mine.contains("职工关注医保新政"), "{mine}");
        again.say("/submit");
        assert!(again.end(), "the input ends in the middle of a form");

        // Taken up again, the chat shows the question it stopped at, its choices open.
        let mut resumed = Terminal::start(&db.url, &people[0]["id"].to_string());
        let shown_again = resumed.answer();
        assert!(shown_again.contains("4. 职工思想动态"), "{shown_again}");
        let next = resumed.say("4");
        let progress = t(ZH, "form.progress", &[("number", "2"), ("total", "8")]);
        assert!(next.contains(&progress), "{next}");
        assert!(resumed.end());
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_person_or_a_bad_invitation_is_refused_in_words() {
    for db in common::databases().await {
        let office = Office::new(&db.url);
        office.import("unit", UNITS).await.unwrap();
        let refused = office.run_in("zh-CN", &["chat", "--as", "42"]).await;
        assert_eq!(
            refused.unwrap_err(),
            t(ZH, "chat.no_such_person", &[("number", "42")])
        );

        let unknown = office
            .run_in("zh-CN", &["chat", "--as", "not-an-invitation-code"])
            .await;
        assert_eq!(unknown.unwrap_err(), t(ZH, "bot.join.unknown", &[]));

        // A used invitation is no login: the person it registered chats by number.
        let code = officer_invitation(&office).await;
        let mut terminal = Terminal::start(&db.url, &code);
        terminal.answer();
        assert!(terminal.end());
        let again = office.run_in("zh-CN", &["chat", "--as", &code]).await;
        assert_eq!(again.unwrap_err(), t(ZH, "chat.invitation_used", &[]));
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_urgent_report_filed_in_the_terminal_is_stored_at_once_and_alerts_the_office() {
    for db in common::databases().await {
        let office = Office::new(&db.url);
        office.import("unit", UNITS).await.unwrap();
        // An office member reached on Telegram, to be alerted.
        let member = db
            .store
            .create_named_invite(
                None,
                Role::Office,
                Some("市总值班"),
                chrono::Duration::days(1),
                Utc::now(),
                &Recorder("test".into()),
            )
            .await
            .unwrap();
        db.store
            .redeem_invite(&member.code, 7001, "市总值班", Utc::now())
            .await
            .unwrap();
        let code = officer_invitation(&office).await;
        let mut terminal = Terminal::start(&db.url, &code);
        terminal.answer();
        let asked = terminal.say("/urgent");
        assert!(
            asked.contains(&t(ZH, "urgent.intro", &[("limit", "1小时")])),
            "{asked}"
        );
        let stored =
            terminal.say("10分钟前，在港湾广场，约200名职工聚集，因企业拖欠工资，已报警。");
        assert!(
            stored.contains(&t(ZH, "urgent.stored", &[("number", "1"), ("told", "1")])),
            "{stored}"
        );
        assert!(
            stored.contains(&t(ZH, "urgent.clock.left", &[("left", "50分钟")])),
            "{stored}"
        );
        assert!(terminal.end());

        let alerts: Vec<String> = db
            .store
            .outbox_rows_for(7001)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.idempotency_key.starts_with("urgent:1:alert:"))
            .map(|m| m.text)
            .collect();
        assert_eq!(alerts.len(), 1, "{alerts:?}");
        assert!(
            alerts[0].contains("港湾广场") && alerts[0].contains("District One"),
            "{}",
            alerts[0]
        );
        let listed = office.json(&["urgent", "list"]).await;
        assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_report_longer_than_the_limit_is_stored_as_far_as_it_goes_and_the_officer_told() {
    for db in common::databases().await {
        let office = Office::new(&db.url);
        office.import("unit", UNITS).await.unwrap();
        let code = officer_invitation(&office).await;
        let mut terminal = Terminal::start(&db.url, &code);
        terminal.answer();
        terminal.say("/urgent");
        // 10,001 characters: possible in the terminal, where no client stops at 4,096.
        let long = format!("在港湾广场，约200名职工聚集。{}", "情".repeat(10_001));
        let stored = terminal.say(&long);
        assert!(
            stored.contains(&t(ZH, "urgent.stored", &[("number", "1"), ("told", "0")])),
            "{}",
            &stored[..stored.len().min(2000)]
        );
        assert!(
            stored.contains(&t(ZH, "urgent.cut", &[("limit", "10000"), ("number", "1")])),
            "the officer is told what was cut"
        );
        assert!(terminal.end());
        let event = db.store.urgent_event(1).await.unwrap().expect("stored");
        assert_eq!(event.event.text.chars().count(), 10_000);
        assert_eq!(event.event.facts.place.as_deref(), Some("港湾广场"));
        db.finish().await;
    }
}
