//! Shared by the integration tests: a throw-away copy of the example school.

use std::path::{Path, PathBuf};

/// A fresh folder `<tmp>/zorgsite-<name>-<pid>` holding copies of `content/` and `site/`,
/// removed again when dropped.
pub struct ExampleCopy {
    pub dir: PathBuf,
}

impl ExampleCopy {
    pub fn new(name: &str) -> ExampleCopy {
        let dir = std::env::temp_dir().join(format!("zorgsite-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        copy_dir(&workspace.join("content"), &dir.join("content"));
        copy_dir(&workspace.join("site"), &dir.join("site"));
        ExampleCopy { dir }
    }
}

impl Drop for ExampleCopy {
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
