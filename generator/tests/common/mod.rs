//! The one fixture helper of the integration tests: a throw-away copy of a school (the example
//! school, or a fixture under `tests/fixtures/`) with the theme, and the real `zorgsite` binary
//! run over it.

#![allow(dead_code)] // Each test file uses a different part.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `struct $name(SchoolCopy)` that derefs to the copy: a test file's own fixture type, for the
/// helpers only that file needs (`#[macro_use] mod common;` first).
#[allow(unused_macros)] // Not every test file has its own fixture type.
macro_rules! school_fixture {
    ($name:ident) => {
        struct $name(common::SchoolCopy);

        impl std::ops::Deref for $name {
            type Target = common::SchoolCopy;
            fn deref(&self) -> &common::SchoolCopy {
                &self.0
            }
        }
    };
}

/// A fresh folder `<tmp>/zorgsite-<name>-<pid>` holding `content/` and `site/`, removed again
/// when dropped.
pub struct SchoolCopy {
    pub dir: PathBuf,
}

fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

impl SchoolCopy {
    /// The example school (`content/`) with the theme (`site/`).
    pub fn example(name: &str) -> SchoolCopy {
        SchoolCopy::of(&workspace().join("content"), name)
    }

    /// `tests/fixtures/<fixture>` as `content/`, with the theme (`site/`). A fixture without
    /// `teksten/` gets the example school's reference texts (`teksten/nl.toml`): every school
    /// needs them for the theme, and a fixture is about something else.
    pub fn fixture(fixture: &str, name: &str) -> SchoolCopy {
        let content = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(fixture);
        let copy = SchoolCopy::of(&content, name);
        let teksten = copy.path("content/teksten");
        if !teksten.exists() {
            std::fs::create_dir_all(&teksten).unwrap();
            std::fs::copy(
                workspace().join("content/teksten/nl.toml"),
                teksten.join("nl.toml"),
            )
            .unwrap();
        }
        copy
    }

    fn of(content: &Path, name: &str) -> SchoolCopy {
        let dir = std::env::temp_dir().join(format!("zorgsite-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        copy_dir(content, &dir.join("content"));
        copy_dir(&workspace().join("site"), &dir.join("site"));
        SchoolCopy { dir }
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.join(relative)
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
    }

    pub fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(path, text).unwrap();
    }

    /// Changes a file, which must then differ.
    pub fn edit(&self, relative: &str, change: impl FnOnce(String) -> String) {
        let text = self.read(relative);
        let changed = change(text.clone());
        assert_ne!(text, changed, "the edit of {relative} changed nothing");
        self.write(relative, &changed);
    }

    /// Runs `zorgsite` with `args` in the copy's folder.
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with_env(args, &[])
    }

    pub fn run_with_env(&self, args: &[&str], envs: &[(&str, &str)]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_zorgsite"));
        command.args(args).current_dir(&self.dir);
        for (key, value) in envs {
            command.env(key, value);
        }
        command.output().unwrap()
    }
}

impl Drop for SchoolCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
