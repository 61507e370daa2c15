//! Benchmarks of the scoring engine and of standings from the database over a generated year of
//! a large city: 200 units, 1,000 direct-report points, 500,000 filings, 50,000 adoptions and
//! 5,000 instructions (and half of that, to see how the cost grows).

use std::time::Instant;

use chrono::{Days, NaiveDate, TimeZone, Utc};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use unionbot::domain::{AdoptionForm, AdoptionLevel, Category, InstructionLevel, UnitKind};
use unionbot::period::{Period, Quarter};
use unionbot::records::{
    HeaderFields, ItemTarget, NewAdoption, NewInstruction, NewItem, NewUnit, Recorder,
};
use unionbot::rules::Rules;
use unionbot::scoring::{self, Adoption, Filing, FilingTally, Instruction, ItemKey, Ledger, Unit};
use unionbot::store::Store;

const YEAR: i32 = 2026;

/// A year of a city, scaled: `scale` 1.0 is the full size named above.
struct City {
    units: Vec<NewUnit>,
    items: Vec<NewItem>,
    adoptions: Vec<NewAdoption>,
    instructions: Vec<NewInstruction>,
}

/// A small deterministic generator, so every run measures the same city.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

fn city(scale: f64) -> City {
    let mut rng = Lcg(42);
    let evaluated = 200;
    let points = 1_000;
    let kinds = [
        UnitKind::District,
        UnitKind::Industry,
        UnitKind::Department,
        UnitKind::PilotZone,
    ];
    let mut units: Vec<NewUnit> = (0..evaluated)
        .map(|i| NewUnit {
            code: format!("u{i:03}"),
            name: format!("Unit {i}"),
            kind: kinds[i % kinds.len()],
            parent_code: None,
        })
        .collect();
    units.extend((0..points).map(|i| NewUnit {
        code: format!("p{i:04}"),
        name: format!("Point {i}"),
        kind: UnitKind::DirectPoint,
        parent_code: Some(format!("u{:03}", i % evaluated)),
    }));
    let start = NaiveDate::from_ymd_opt(YEAR, 1, 1).unwrap();
    let n_items = (500_000.0 * scale) as usize;
    let items: Vec<NewItem> = (0..n_items)
        .map(|i| {
            let unit = &units[rng.next(units.len() as u64) as usize];
            let day = start + Days::new(rng.next(365));
            let at = Utc.from_utc_datetime(&day.and_hms_opt(rng.next(24) as u32, 0, 0).unwrap());
            NewItem {
                reference: Some(format!("i{i}")),
                unit_code: unit.code.clone(),
                filed_at: at,
                title: format!("Item {i}"),
                category: Category::new(1 + rng.next(12) as u8).unwrap(),
                commissioned: rng.next(50) == 0,
                officer: Some(format!("Officer {}", unit.code)),
                body: None,
                header: HeaderFields::default(),
            }
        })
        .collect();
    let n_adoptions = (50_000.0 * scale) as usize;
    let adoptions = (0..n_adoptions)
        .map(|_| {
            let item = rng.next(n_items as u64);
            NewAdoption {
                item: ItemTarget::Reference(format!("i{item}")),
                level: AdoptionLevel::ALL[rng.next(6) as usize],
                form: if rng.next(2) == 0 {
                    AdoptionForm::Single
                } else {
                    AdoptionForm::Combined
                },
                on: start + Days::new(rng.next(365)),
            }
        })
        .collect();
    let n_instructions = (5_000.0 * scale) as usize;
    let instructions = (0..n_instructions)
        .map(|_| NewInstruction {
            item: ItemTarget::Reference(format!("i{}", rng.next(n_items as u64))),
            level: InstructionLevel::ALL[rng.next(3) as usize],
            on: start + Days::new(rng.next(365)),
        })
        .collect();
    City {
        units,
        items,
        adoptions,
        instructions,
    }
}

/// The same city as the engine sees it, built without a database.
fn ledger(city: &City, zone: chrono_tz::Tz) -> (Ledger, Vec<Filing>) {
    let index: std::collections::HashMap<&str, i64> = city
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.code.as_str(), i as i64))
        .collect();
    let units = city
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| Unit {
            id: i as i64,
            code: u.code.clone(),
            name: u.name.clone(),
            kind: u.kind,
            parent: u.parent_code.as_deref().map(|p| index[p]),
        })
        .collect();
    let item_unit = |target: &ItemTarget| match target {
        ItemTarget::Reference(r) => {
            let n: usize = r[1..].parse().unwrap();
            (n as i64, index[city.items[n].unit_code.as_str()])
        }
        _ => unreachable!("the generator makes references only"),
    };
    let filings: Vec<Filing> = city
        .items
        .iter()
        .map(|i| Filing {
            unit: index[i.unit_code.as_str()],
            quarter: Quarter::of_instant(i.filed_at, zone),
            commissioned: i.commissioned,
        })
        .collect();
    let adoptions = city
        .adoptions
        .iter()
        .enumerate()
        .map(|(id, a)| {
            let (item, unit) = item_unit(&a.item);
            Adoption {
                id: id as i64,
                unit,
                item: ItemKey::Filed { item },
                title: String::new(),
                level: a.level,
                form: a.form,
                on: a.on,
                officer: None,
            }
        })
        .collect();
    let instructions = city
        .instructions
        .iter()
        .enumerate()
        .map(|(id, i)| {
            let (item, unit) = item_unit(&i.item);
            Instruction {
                id: id as i64,
                unit,
                item: ItemKey::Filed { item },
                title: String::new(),
                level: i.level,
                on: i.on,
            }
        })
        .collect();
    let ledger = Ledger {
        units,
        filings: FilingTally::from_filings(&filings),
        adoptions,
        instructions,
        vetoes: Vec::new(),
    };
    (ledger, filings)
}

fn lines<T>(rows: &[T]) -> Vec<(usize, T)>
where
    T: Clone,
{
    rows.iter()
        .cloned()
        .enumerate()
        .map(|(i, r)| (i + 2, r))
        .collect()
}

/// Imports the city through the office's own import path and says how long it took.
async fn stored(city: &City, dir: &std::path::Path) -> Store {
    let url = format!("sqlite://{}", dir.join("bench.db").display());
    let store = Store::open(&url).await.unwrap();
    let who = Recorder("bench".into());
    let started = Instant::now();
    store.import_units(&lines(&city.units), &who).await.unwrap();
    for chunk in city.items.chunks(100_000) {
        let rows: Vec<_> = chunk.iter().cloned().map(|r| (0, r)).collect();
        store.import_items(&rows, &who).await.unwrap();
    }
    store
        .import_adoptions(&lines(&city.adoptions), &who)
        .await
        .unwrap();
    store
        .import_instructions(&lines(&city.instructions), &who)
        .await
        .unwrap();
    eprintln!(
        "imported {} items, {} adoptions, {} instructions in {:.1} s",
        city.items.len(),
        city.adoptions.len(),
        city.instructions.len(),
        started.elapsed().as_secs_f64()
    );
    store
}

fn engine(c: &mut Criterion) {
    let rules = Rules::default();
    let zone = rules.zone();
    let mut group = c.benchmark_group("engine");
    group.sample_size(20);
    for (name, scale) in [("half", 0.5), ("full", 1.0)] {
        let city = city(scale);
        let (ledger, filings) = ledger(&city, zone);
        group.bench_function(format!("tally_filings/{name}"), |b| {
            b.iter(|| FilingTally::from_filings(&filings))
        });
        group.bench_function(format!("standings_year/{name}"), |b| {
            b.iter(|| scoring::standings(&rules, &ledger, Period::Year(YEAR)))
        });
        group.bench_function(format!("awards_year/{name}"), |b| {
            b.iter(|| scoring::awards(&rules, &ledger, YEAR))
        });
        group.bench_function(format!("honoraria_half/{name}"), |b| {
            b.iter(|| scoring::honoraria(&rules, &ledger, Period::Half(YEAR, 1)))
        });
    }
    group.finish();
}

fn database(c: &mut Criterion) {
    let rules = Rules::default();
    let zone = rules.zone();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut group = c.benchmark_group("sqlite");
    group.sample_size(10);
    for (name, scale) in [("half", 0.5), ("full", 1.0)] {
        let dir = tempfile::tempdir().unwrap();
        let city = city(scale);
        let store = runtime.block_on(stored(&city, dir.path()));
        group.bench_function(format!("standings_year/{name}"), |b| {
            b.to_async(&runtime).iter(|| async {
                let ledger = store
                    .load_ledger_for_points(Period::Year(YEAR), zone)
                    .await
                    .unwrap();
                scoring::standings(&rules, &ledger, Period::Year(YEAR))
            })
        });
        group.bench_function(format!("standings_quarter/{name}"), |b| {
            let q2 = Period::Quarter(Quarter {
                year: YEAR,
                number: 2,
            });
            b.to_async(&runtime).iter(|| async {
                let ledger = store.load_ledger_for_points(q2, zone).await.unwrap();
                scoring::standings(&rules, &ledger, q2)
            })
        });
        group.bench_function(format!("load_ledger_year/{name}"), |b| {
            b.to_async(&runtime).iter_batched(
                || (),
                |_| store.load_ledger(Period::Year(YEAR), zone),
                BatchSize::SmallInput,
            )
        });
        runtime.block_on(store.close());
    }
    group.finish();
}

criterion_group!(benches, engine, database);
criterion_main!(benches);
