//! Text is limited where it arrives: a title, a unit's or a person's name, or a reason too
//! long for any message is refused by the importer or the command, on its line and column,
//! and nothing is stored (issue 6, point 16: a 1 MB title made one `/score` send 86 messages).

mod common;

use common::cli::Office;

const UNITS: &str = "code,name,kind,parent\nd1,District One,district,\n";

const ITEMS: &str = "ref,unit,filed_at,title,category,commissioned,officer\n\
r1,d1,2026-01-10 09:00,Wages in the port,1,no,Wang Li\n";

#[tokio::test]
async fn an_adoption_import_with_a_1000_character_title_is_refused_on_its_line_and_column_and_stores_nothing()
 {
    let db = common::TestDb::sqlite(true).await;
    let office = Office::new(&db.url);
    office.import("unit", UNITS).await.unwrap();
    let title = "长".repeat(1000);
    let adoptions = format!(
        "item_ref,unit,title,level,form,date\n\
         ,d1,Heard elsewhere,市委,单条,2026-02-01\n\
         ,d1,{title},市委,单条,2026-02-02\n"
    );
    let err = office.import("adoption", &adoptions).await.unwrap_err();
    assert!(
        err.contains("line 3, column “title”: longer than 200 characters"),
        "{err}"
    );
    assert!(err.contains("Nothing was stored"), "{err}");
    assert_eq!(db.store.counts().await.unwrap().adoptions, 0);
    db.finish().await;
}

#[tokio::test]
async fn an_instruction_import_with_an_overlong_title_stores_nothing() {
    let db = common::TestDb::sqlite(true).await;
    let office = Office::new(&db.url);
    office.import("unit", UNITS).await.unwrap();
    let instructions = format!(
        "item_ref,unit,title,level,date\n,d1,{},市领导,2026-03-01\n",
        "x".repeat(201)
    );
    let err = office
        .import("instruction", &instructions)
        .await
        .unwrap_err();
    assert!(err.contains("line 2, column “title”"), "{err}");
    assert_eq!(db.store.counts().await.unwrap().instructions, 0);
    db.finish().await;
}

#[tokio::test]
async fn a_unit_name_over_100_characters_is_refused_and_no_unit_is_stored() {
    let db = common::TestDb::sqlite(true).await;
    let office = Office::new(&db.url);
    let units = format!(
        "{UNITS}d2,{},district,\n",
        "District Two Federation ".repeat(5)
    );
    let err = office.import("unit", &units).await.unwrap_err();
    assert!(
        err.contains("line 3, column “name”: longer than 100 characters"),
        "{err}"
    );
    assert_eq!(db.store.counts().await.unwrap().units, 0);
    db.finish().await;
}

#[tokio::test]
async fn an_officers_name_over_50_characters_is_refused_and_no_item_is_stored() {
    let db = common::TestDb::sqlite(true).await;
    let office = Office::new(&db.url);
    office.import("unit", UNITS).await.unwrap();
    let items = format!(
        "{ITEMS}r2,d1,2026-01-11 09:00,Night shifts,4,no,{}\n",
        "王".repeat(51)
    );
    let err = office.import("item", &items).await.unwrap_err();
    assert!(
        err.contains("line 3, column “officer”: longer than 50 characters"),
        "{err}"
    );
    assert_eq!(db.store.counts().await.unwrap().items, 0);
    db.finish().await;
}

#[tokio::test]
async fn a_veto_reason_over_500_characters_is_refused_and_no_veto_is_stored() {
    let db = common::TestDb::sqlite(true).await;
    let office = Office::new(&db.url);
    office.import("unit", UNITS).await.unwrap();
    let reason = "迟报".repeat(251);
    let veto = |reason: &str| {
        let reason = reason.to_string();
        let office = &office;
        async move {
            office
                .run(&[
                    "veto",
                    "add",
                    "--unit",
                    "d1",
                    "--kind",
                    "late",
                    "--date",
                    "2026-03-01",
                    "--reason",
                    &reason,
                ])
                .await
        }
    };
    let err = veto(&reason).await.unwrap_err();
    assert!(
        err.contains("--reason") && err.contains("longer than 500 characters"),
        "{err}"
    );
    let err = veto("迟报\n第二行").await.unwrap_err();
    assert!(err.contains("control character"), "{err}");
    assert_eq!(db.store.counts().await.unwrap().vetoes, 0);
    veto(&"迟报".repeat(250)).await.unwrap();
    assert_eq!(db.store.counts().await.unwrap().vetoes, 1);
    db.finish().await;
}
