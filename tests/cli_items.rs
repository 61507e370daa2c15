//! Reading what is recorded on the command line: `item show`, `item list` and `veto list`, on
//! SQLite and (when configured) PostgreSQL.

mod common;

use common::cli::Office;

const UNITS: &str = "code,name,kind,parent\n\
d1,District One,district,\n\
d2,District Two,district,\n";

const ITEMS: &str = "ref,unit,filed_at,title,category,commissioned,officer,body,\
distribution_scope,issuing_unit,signer,responsible_person,dated,copies\n\
r1,d1,2026-01-10 09:00,Wages in the port,1,no,Wang Li,Dockers were paid late.,\
City federation,District One union,Zhang San,Li Si,2026-01-09,30\n\
r2,d2,2026-02-01 10:00,Bus drivers,2,yes,Li Qiang,,,,,,,\n\
r3,d1,2026-04-01 10:00,Heat at work,5,no,,,,,,,,\n";

const ADOPTIONS: &str = "item_ref,unit,title,level,form,date\n\
r1,d1,Wages in the port,市委,单条,2026-02-01\n";

/// The city, file by file in the order it is imported.
const CITY: [(&str, &str); 3] = [("unit", UNITS), ("item", ITEMS), ("adoption", ADOPTIONS)];

#[tokio::test]
async fn item_show_prints_every_header_field_and_the_adoptions_by_number_or_reference() {
    for db in common::databases().await {
        let office = Office::importing(&db.url, &CITY).await;
        let by_ref = office.json(&["item", "show", "r1"]).await;
        let number = by_ref["number"].to_string();
        assert_eq!(by_ref["title"], "Wages in the port", "{}", db.backend);
        assert_eq!(by_ref["body"], "Dockers were paid late.");
        assert_eq!(by_ref["distribution_scope"], "City federation");
        assert_eq!(by_ref["issuing_unit"], "District One union");
        assert_eq!(by_ref["signer"], "Zhang San");
        assert_eq!(by_ref["responsible_person"], "Li Si");
        assert_eq!(by_ref["dated"], "2026-01-09");
        assert_eq!(by_ref["copies"], 30);
        assert_eq!(by_ref["category"], 1);
        assert_eq!(by_ref["unit"], "d1");
        assert_eq!(by_ref["adoptions"][0]["level"], "municipal_committee");
        let by_number = office.json(&["item", "show", &format!("#{number}")]).await;
        assert_eq!(
            by_number, by_ref,
            "the number and the reference find one item"
        );

        let card = office.ok(&["item", "show", "r1"]).await;
        for shown in [
            "Wages in the port",
            "Dockers were paid late.",
            "City federation",
            "District One union",
            "Zhang San",
            "Li Si",
            "2026-01-09",
            "30",
            "Wang Li",
            "2026-01-10 09:00",
            "municipal party committee information",
        ] {
            assert!(card.contains(shown), "{shown} in:\n{card}");
        }
        db.finish().await;
    }
}

#[tokio::test]
async fn an_unknown_item_is_refused_naming_what_was_asked() {
    let db = common::TestDb::sqlite(true).await;
    let office = Office::importing(&db.url, &CITY).await;
    for asked in ["r9", "999"] {
        let err = office.run(&["item", "show", asked]).await.unwrap_err();
        assert!(err.contains(asked), "{err}");
    }
    db.finish().await;
}

#[tokio::test]
async fn item_list_gives_a_periods_items_of_a_unit_as_table_json_and_csv_that_imports_again() {
    for db in common::databases().await {
        let office = Office::importing(&db.url, &CITY).await;
        let q1 = office.json(&["item", "list", "--period", "2026Q1"]).await;
        let titles: Vec<_> = q1
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["title"].clone())
            .collect();
        assert_eq!(
            titles,
            ["Wages in the port", "Bus drivers"],
            "{}",
            db.backend
        );
        let d1 = office
            .json(&["item", "list", "--period", "2026", "--unit", "D1"])
            .await;
        let refs: Vec<_> = d1
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["ref"].clone())
            .collect();
        assert_eq!(refs, ["r1", "r3"], "by the unit's code in any case");
        let table = office.ok(&["item", "list", "--period", "2026Q1"]).await;
        assert!(
            table.contains("Bus drivers") && table.contains("Adoptions"),
            "{table}"
        );

        let csv = office
            .ok(&["item", "list", "--period", "2026", "--format", "csv"])
            .await;
        let path = office.file("again.csv", &csv);
        let again = office.ok(&["item", "import", path.to_str().unwrap()]).await;
        assert!(again.contains("0 items added, 3 skipped"), "{again}\n{csv}");
        db.finish().await;
    }
}

#[tokio::test]
async fn veto_list_shows_who_recorded_each_veto_and_whether_it_was_retracted() {
    for db in common::databases().await {
        let office = Office::importing(&db.url, &CITY).await;
        for (unit, date) in [("d1", "2026-03-01"), ("d2", "2025-06-01")] {
            office
                .ok(&[
                    "veto",
                    "add",
                    "--unit",
                    unit,
                    "--kind",
                    "late",
                    "--date",
                    date,
                    "--reason",
                    "hid a strike",
                ])
                .await;
        }
        let all = office.json(&["veto", "list"]).await;
        assert_eq!(all.as_array().unwrap().len(), 2, "{}", db.backend);
        let id = all[1]["id"].to_string();
        assert_eq!(all[1]["unit"], "d1");
        office
            .ok(&[
                "retract",
                "--record",
                "veto",
                "--id",
                &id,
                "--reason",
                "wrong unit",
            ])
            .await;
        let year = office.json(&["veto", "list", "--year", "2026"]).await;
        assert_eq!(year.as_array().unwrap().len(), 1);
        let veto = &year[0];
        assert_eq!(veto["unit"], "d1");
        assert_eq!(veto["kind"], "late");
        assert_eq!(veto["date"], "2026-03-01");
        assert_eq!(veto["reason"], "hid a strike");
        // Recorded on the command line: said so, with the login, never as `cli:<login>`.
        let by = veto["recorded_by"].as_str().unwrap();
        assert!(by.starts_with("command line ("), "{by}");
        assert!(veto["recorded_at"].is_string());
        assert_eq!(veto["retracted"], true);
        let of_d2 = office.json(&["veto", "list", "--unit", "d2"]).await;
        assert_eq!(of_d2[0]["retracted"], false);
        let table = office.ok(&["veto", "list"]).await;
        assert!(
            table.contains("hid a strike") && table.contains("Recorded by"),
            "{table}"
        );
        let csv = office.ok(&["veto", "list", "--format", "csv"]).await;
        assert!(csv.contains("recorded_by"), "{csv}");
        db.finish().await;
    }
}
