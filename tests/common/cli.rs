//! The command line for its integration tests: one command run in the library or as the
//! program, an office with a folder for the CSV files it imports, and the sample city that the
//! reports are worked out on by hand.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use clap::Parser;
use serde_json::Value;
use tempfile::TempDir;
use unionbot::cli::{Cli, run};

pub const UNITS: &str = "code,name,kind,parent\n\
d1,District One,district,\n\
d2,District Two,区市县总工会,\n\
p1,Harbour Union,direct_point,d1\n";

// r2 is filed at 23:50 on 31 March, Shanghai time: Q1. r3 at 16:10 UTC the same day, which is
// 00:10 on 1 April in Shanghai: Q2.
pub const ITEMS: &str = "ref,unit,filed_at,title,category,commissioned,officer\n\
r1,d1,2026-01-10 09:00,Wages in the port,1,no,Wang Li\n\
r2,d1,2026-03-31 23:50,Night shifts,4,no,Wang Li\n\
r3,d2,2026-03-31T16:10:00Z,Bus drivers,2,no,Li Qiang\n\
r4,p1,2026-02-01 10:00,Crane safety,7,yes,\n\
r5,d2,2026-02-02 10:00,Training,9,否,Li Qiang\n";

pub const ADOPTIONS: &str = "item_ref,unit,title,level,form,date\n\
r1,d1,Wages in the port,市委,单条,2026-02-01\n\
r4,p1,Crane safety,provincial_federation,combined,2026-04-10\n\
,d2,Elsewhere,全总,single,2026-05-01\n";

pub const INSTRUCTIONS: &str = "item_ref,unit,title,level,date\n\
r5,d2,Training,市领导,2026-03-01\n";

/// The sample city, file by file in the order it is imported.
pub const CITY: [(&str, &str); 4] = [
    ("unit", UNITS),
    ("item", ITEMS),
    ("adoption", ADOPTIONS),
    ("instruction", INSTRUCTIONS),
];

/// The program itself, to start as a process.
pub fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_unionbot"))
}

/// Runs one command in the library in `lang` on the database at `url`; its output, or its
/// error in words.
pub async fn unionbot_in(url: &str, lang: &str, args: &[&str]) -> Result<String, String> {
    let mut argv = vec!["unionbot", "--database", url, "--lang", lang];
    argv.extend_from_slice(args);
    let cli = Cli::try_parse_from(argv).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let result = run(cli, &mut out).await;
    let text = String::from_utf8(out).unwrap();
    result.map(|_| text).map_err(|e| format!("{e:#}"))
}

/// Runs one command in the library, in English; its output, or its error in words.
pub async fn unionbot(url: &str, args: &[&str]) -> Result<String, String> {
    unionbot_in(url, "en", args).await
}

/// Writes `bytes` to the file `name` in `dir`; its path.
pub fn write_file(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// A path as a command line argument.
pub fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// An office at one database, with a folder of its own for the files it imports.
pub struct Office {
    pub url: String,
    dir: TempDir,
}

impl Office {
    pub fn new(url: &str) -> Office {
        Office {
            url: url.to_string(),
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// An office at `url` that has imported `files` in order (see [`Office::city_from`]).
    pub async fn importing(url: &str, files: &[(&str, &str)]) -> Office {
        let office = Office::new(url);
        office.city_from(files).await;
        office
    }

    /// Writes a file into the office's folder; its path.
    pub fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        write_file(self.dir.path(), name, bytes)
    }

    /// Runs one command in a language; its output, or its error in words.
    pub async fn run_in(&self, lang: &str, args: &[&str]) -> Result<String, String> {
        unionbot_in(&self.url, lang, args).await
    }

    /// Runs one command in English; its output, or its error in words.
    pub async fn run(&self, args: &[&str]) -> Result<String, String> {
        self.run_in("en", args).await
    }

    /// Runs one command in a language; its output.
    pub async fn ok_in(&self, lang: &str, args: &[&str]) -> String {
        self.run_in(lang, args)
            .await
            .unwrap_or_else(|e| panic!("{args:?} failed: {e}"))
    }

    /// Runs one command in English; its output.
    pub async fn ok(&self, args: &[&str]) -> String {
        self.ok_in("en", args).await
    }

    /// Runs one command in English with `--format json`; its output read.
    pub async fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        serde_json::from_str(&self.ok(&all).await).unwrap()
    }

    /// Imports one file of `kind` (`unit`, `item`...) with the contents `bytes`.
    pub async fn import(&self, kind: &str, bytes: impl AsRef<[u8]>) -> Result<String, String> {
        let path = self.file(&format!("{kind}.csv"), bytes);
        self.run(&[kind, "import", path_str(&path)]).await
    }

    /// Imports the files in order, each of which must be taken.
    pub async fn city_from(&self, files: &[(&str, &str)]) {
        for (kind, text) in files {
            self.import(kind, text)
                .await
                .unwrap_or_else(|e| panic!("{kind}: {e}"));
        }
    }

    /// Imports the sample city.
    pub async fn city(&self) {
        self.city_from(&CITY).await;
    }
}
