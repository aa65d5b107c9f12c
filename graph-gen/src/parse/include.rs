//! The docs root: which pages exist, reading them, and `[!INCLUDE]` targets confined to the root.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

use super::{Include, Page};
use crate::diagnostics::{Ctxt, Diagnostic};
use crate::ir::{ApiVersion, Source};

/// Pages larger than this are refused rather than read into memory.
pub const MAX_PAGE_BYTES: u64 = 16 * 1024 * 1024;

/// A docs tree (`api-docs/`, laid out like the docs repo's `api-reference/`).
///
/// Every file it reads is inside the root (after resolving `..` and symlinks) and is recorded
/// in [`DocsRoot::inputs`] for rebuild tracking.
#[derive(Debug)]
pub struct DocsRoot {
    root: PathBuf,
    display: PathBuf,
    inputs: RefCell<BTreeSet<PathBuf>>,
    /// Pages [`DocsRoot::pages`] found inside the root as regular files, through real folders
    /// of the canonical root: their paths are canonical already, so reading them needs no
    /// `canonicalize` (a `readlink` per path component).
    walked: RefCell<HashSet<PathBuf>>,
    /// Pages and includes held in memory, by relative path: nothing is read from disk.
    memory: Option<HashMap<PathBuf, String>>,
}

impl DocsRoot {
    /// The docs root for `path`, a page or a folder: the folder above the `beta`/`v1.0` folder
    /// the path is in, or the folder itself (for a page, the folder above its `api/` or
    /// `resources/` folder) when there is no version folder.
    ///
    /// Files are displayed relative to `shown`, the way the user wrote `path`.
    pub fn for_path(path: &Path, shown: &Path) -> io::Result<DocsRoot> {
        let canonical = path.canonicalize()?;
        let (typed_folder, folder) = if canonical.is_dir() {
            (shown.to_path_buf(), canonical)
        } else {
            let typed = shown
                .parent()
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
            let folder = canonical
                .parent()
                .map_or_else(|| canonical.clone(), Path::to_path_buf);
            (typed, folder)
        };
        // Pages sit at most two folders below their version folder (`beta/includes/permissions`).
        let version_folder = folder.ancestors().take(3).find(|ancestor| {
            ancestor
                .file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| ApiVersion::from_segment(name).is_some())
        });
        let page_folder = !path.is_dir()
            && folder
                .file_name()
                .is_some_and(|name| name == "api" || name == "resources");
        let root = match version_folder {
            Some(version) => version.parent().unwrap_or(version).to_path_buf(),
            None if page_folder => folder.parent().unwrap_or(&folder).to_path_buf(),
            None => folder.clone(),
        };
        // Show paths relative to what the user typed: climb the typed folder up to the root.
        let levels = folder
            .strip_prefix(&root)
            .map_or(0, |rest| rest.components().count());
        let display = (0..levels).fold(typed_folder, |shown, _| shown.join(".."));
        Ok(DocsRoot {
            root,
            display: normalize(&display),
            inputs: RefCell::default(),
            walked: RefCell::default(),
            memory: None,
        })
    }

    /// A root for files held in memory under relative paths (`beta/api/user-get.md`,
    /// `beta/includes/permissions/user-get-permissions.md`): pages and includes are read from
    /// `files`, after the same checks a folder on disk gets (absolute and escaping targets are
    /// refused), and the file system is never touched.
    pub fn in_memory<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> DocsRoot {
        DocsRoot {
            root: PathBuf::new(),
            display: PathBuf::new(),
            inputs: RefCell::default(),
            walked: RefCell::default(),
            memory: Some(
                files
                    .into_iter()
                    .map(|(file, text)| (normalize(Path::new(file)), text.to_owned()))
                    .collect(),
            ),
        }
    }

    /// The pages of an in-memory root (every file outside an `includes` folder), sorted; none
    /// for a root on disk.
    pub fn memory_pages(&self) -> Vec<PathBuf> {
        let mut pages: Vec<PathBuf> = self
            .memory
            .iter()
            .flat_map(HashMap::keys)
            .filter(|path| !path.components().any(|part| part.as_os_str() == "includes"))
            .cloned()
            .collect();
        pages.sort();
        pages
    }

    /// The root folder, canonical.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Every `.md` page under `path` (a page or a folder), sorted, skipping `includes` folders
    /// (their pages are read through `[!INCLUDE]`) and symlinked folders.
    pub fn pages(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        let canonical = path.canonicalize()?;
        let inside = canonical.starts_with(&self.root);
        let mut walked = self.walked.borrow_mut();
        if !canonical.is_dir() {
            if inside {
                walked.insert(canonical.clone());
            }
            return Ok(vec![canonical]);
        }
        let mut pages = Vec::new();
        let mut folders = vec![canonical];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder)? {
                let entry = entry?;
                // The entry itself, not what a symlink points to: symlinked folders are not
                // walked, and symlinked pages are resolved when read.
                let kind = entry.file_type()?;
                let entry_path = entry.path();
                if kind.is_dir() && entry.file_name() != "includes" {
                    folders.push(entry_path);
                } else if !kind.is_dir() && entry_path.extension().is_some_and(|ext| ext == "md") {
                    if inside && kind.is_file() {
                        walked.insert(entry_path.clone());
                    }
                    pages.push(entry_path);
                }
            }
        }
        pages.sort();
        Ok(pages)
    }

    /// `path` as shown in diagnostics and the IR: relative to the folder the user named,
    /// with `/` separators, and bytes that are not UTF-8 written `\xff` (such files are never
    /// read: see [`DocsRoot::read_page`]).
    pub fn display(&self, path: &Path) -> String {
        let relative = path.strip_prefix(&self.root).unwrap_or(path);
        let shown = normalize(&self.display.join(relative));
        let mut text = String::new();
        for chunk in shown.as_os_str().as_encoded_bytes().utf8_chunks() {
            text.push_str(&chunk.valid().replace('\\', "/"));
            for byte in chunk.invalid() {
                let _ = write!(text, "\\x{byte:02x}");
            }
        }
        text
    }

    /// Whether the part of `path` below the root is valid UTF-8; reports it in `cx` when not.
    /// Such a page cannot be tracked for rebuilds (`include_bytes!` takes a UTF-8 path), so it
    /// is refused here, where `check` sees it, rather than failing the macro's build.
    fn utf8_name(&self, path: &Path, cx: &Ctxt) -> bool {
        let relative = path.strip_prefix(&self.root).unwrap_or(path);
        if relative.to_str().is_some() {
            return true;
        }
        let file = self.display(path);
        cx.push(
            Diagnostic::error(
                &Source::new(file.clone(), 1),
                format!("file name `{file}` is not valid UTF-8; the page is not read"),
            )
            .with_help("rename the file with UTF-8 characters only: rebuilds track pages by a Rust string path"),
        );
        false
    }

    /// The API version of the page at `path`, from its `beta`/`v1.0` folder.
    pub fn version_of(&self, path: &Path) -> Option<ApiVersion> {
        let relative = path.strip_prefix(&self.root).ok()?;
        relative
            .components()
            .find_map(|part| ApiVersion::from_segment(part.as_os_str().to_str()?))
    }

    /// Every file read so far, canonical, sorted.
    pub fn inputs(&self) -> Vec<PathBuf> {
        self.inputs.borrow().iter().cloned().collect()
    }

    /// Reads a page's text: `(display path, text)`. Unreadable, oversized, outside-the-root
    /// and non-UTF-8 pages are errors in `cx`.
    pub fn read_page(&self, path: &Path, cx: &Ctxt) -> Option<(String, String)> {
        if !self.utf8_name(path, cx) {
            return None;
        }
        let file = self.display(path);
        let at = Source::new(file.clone(), 1);
        if let Some(files) = &self.memory {
            let Some(text) = files.get(&normalize(path)) else {
                cx.error(&at, "cannot read page: this docs root holds no such page");
                return None;
            };
            return Some((file, text.clone()));
        }
        let canonical = if self.walked.borrow().contains(path) {
            path.to_path_buf()
        } else {
            match path.canonicalize() {
                Ok(canonical) => canonical,
                Err(error) => {
                    cx.error(&at, format!("cannot read page: {error}"));
                    return None;
                }
            }
        };
        if !canonical.starts_with(&self.root) {
            cx.push(
                Diagnostic::error(&at, "page resolves outside the docs root")
                    .with_help("replace the symlink with the page itself"),
            );
            return None;
        }
        if !self.utf8_name(&canonical, cx) {
            return None;
        }
        let text = read_text(&canonical, &at, cx)?;
        self.inputs.borrow_mut().insert(canonical);
        Some((file, text))
    }

    /// Resolves and reads an include of `page` as a page of its own.
    ///
    /// Absolute targets and targets outside the root (by `..` or by symlink) are errors; a
    /// missing target is a warning naming `what` the include was for. Includes inside the
    /// included page are not followed, so include cycles cannot occur.
    pub fn read_include(
        &self,
        page: &Page,
        include: &Include,
        what: &str,
        cx: &Ctxt,
    ) -> Option<Page> {
        let at = page.source(include.line);
        let target = include.target.trim();
        let relative = Path::new(target);
        if target.is_empty() || relative.has_root() || target.contains(':') {
            cx.push(
                Diagnostic::error(&at, format!("include path `{target}` is not a relative path"))
                    .with_help("write a path relative to the page, e.g. `../includes/permissions/name-permissions.md`"),
            );
            return None;
        }
        let page_folder = page.path.parent().unwrap_or(Path::new(""));
        let page_folder = if self.memory.is_some() {
            page_folder.to_path_buf()
        } else {
            page_folder
                .canonicalize()
                .unwrap_or_else(|_| page_folder.to_path_buf())
        };
        let joined = normalize(&page_folder.join(relative));
        let inside = if self.memory.is_some() {
            // Relative to an empty root: inside unless it climbs out or became absolute.
            !matches!(
                joined.components().next(),
                Some(Component::ParentDir | Component::RootDir | Component::Prefix(_))
            )
        } else {
            joined.starts_with(&self.root)
        };
        if !inside {
            cx.push(
                Diagnostic::error(&at, format!("include path `{target}` leaves the docs root"))
                    .with_help("keep includes inside the docs folder, e.g. under `includes/`"),
            );
            return None;
        }
        if let Some(files) = &self.memory {
            let Some(text) = files.get(&joined) else {
                cx.warning(
                    &at,
                    format!(
                        "{what} include `{target}` not found at `{}`",
                        self.display(&joined)
                    ),
                );
                return None;
            };
            let file = self.display(&joined);
            return Some(Page::from_text(file, joined.clone(), text, cx));
        }
        let found = joined.canonicalize();
        let Ok(canonical) = found else {
            cx.warning(
                &at,
                format!(
                    "{what} include `{target}` not found at `{}`",
                    self.display(&joined)
                ),
            );
            return None;
        };
        if !canonical.starts_with(&self.root) {
            cx.push(
                Diagnostic::error(
                    &at,
                    format!("include path `{target}` resolves outside the docs root"),
                )
                .with_help("replace the symlink with the included file itself"),
            );
            return None;
        }
        if !self.utf8_name(&canonical, cx) {
            return None;
        }
        let file = self.display(&canonical);
        let text = read_text(&canonical, &Source::new(file.clone(), 1), cx)?;
        self.inputs.borrow_mut().insert(canonical.clone());
        Some(Page::from_text(file, canonical, &text, cx))
    }
}

fn read_text(path: &Path, at: &Source, cx: &Ctxt) -> Option<String> {
    let cannot_read = |error: io::Error| cx.error(at, format!("cannot read file: {error}"));
    let too_large = |size: u64| {
        cx.push(
            Diagnostic::error(
                at,
                format!("file is {size} bytes; pages over {MAX_PAGE_BYTES} bytes are not read"),
            )
            .with_help("split the page"),
        );
    };
    // Through symlinks, and before opening: opening a FIFO would block the build.
    let metadata = std::fs::metadata(path).map_err(cannot_read).ok()?;
    if !metadata.is_file() {
        cx.push(
            Diagnostic::error(at, "file is not a regular file; it is not read")
                .with_help("replace it with a page saved as a file"),
        );
        return None;
    }
    let size = metadata.len();
    if size > MAX_PAGE_BYTES {
        too_large(size);
        return None;
    }
    let mut file = std::fs::File::open(path).map_err(cannot_read).ok()?;
    // One byte past the cap tells a file that grew since its metadata was read.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
    (&mut file)
        .take(MAX_PAGE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot_read)
        .ok()?;
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if read > MAX_PAGE_BYTES {
        too_large(read);
        return None;
    }
    match String::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(error) => {
            let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
            let line = valid.split(|&byte| byte == b'\n').count();
            cx.push(
                Diagnostic::error(
                    &Source::new(at.file.clone(), u32::try_from(line).unwrap_or(u32::MAX)),
                    "file is not valid UTF-8",
                )
                .with_help("save the page as UTF-8"),
            );
            None
        }
    }
}

/// Resolves `.` and `..` lexically, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                let popped =
                    matches!(out.components().next_back(), Some(Component::Normal(_))) && out.pop();
                if !popped && !out.has_root() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An in-memory root (fuzzing, `Generator::load_page_text`) must refuse escaping targets
    /// like a real one and read nothing from disk, whatever the working folder holds.
    #[test]
    fn in_memory_roots_refuse_escapes_and_read_nothing() {
        use crate::diagnostics::Severity::{Error, Warning};
        let root = DocsRoot::in_memory([]);
        let cx = Ctxt::new();
        let page = Page::from_text(
            "beta/api/x.md".into(),
            "beta/api/x.md".into(),
            "# x: y\n",
            &cx,
        );
        let include = |target: &str| Include {
            label: "permissions-table".into(),
            target: target.into(),
            line: 3,
        };
        for target in [
            "../../../../etc/passwd",
            "/etc/passwd",
            "x.md",
            "../../../Cargo.toml",
            "../../Cargo.toml",
            "../includes/permissions/x-permissions.md",
        ] {
            assert!(root
                .read_include(&page, &include(target), "permissions", &cx)
                .is_none());
        }
        assert!(root.read_page(Path::new("Cargo.toml"), &cx).is_none());
        assert!(root.inputs().is_empty());
        let messages: Vec<(crate::diagnostics::Severity, String)> = cx
            .into_diagnostics()
            .into_iter()
            .map(|d| (d.severity, d.message))
            .collect();
        assert_eq!(
            messages,
            [
                (Error, "cannot read page: this docs root holds no such page".into()),
                (Error, "include path `../../../../etc/passwd` leaves the docs root".into()),
                (Error, "include path `../../../Cargo.toml` leaves the docs root".into()),
                (Error, "include path `/etc/passwd` is not a relative path".into()),
                (Warning, "permissions include `../../Cargo.toml` not found at `Cargo.toml`".into()),
                (Warning, "permissions include `../includes/permissions/x-permissions.md` not found at `beta/includes/permissions/x-permissions.md`".into()),
                (Warning, "permissions include `x.md` not found at `beta/api/x.md`".into()),
            ]
        );
    }

    #[test]
    fn normalize_resolves_dots_lexically() {
        assert_eq!(
            normalize(Path::new("/a/b/../c/./d")),
            PathBuf::from("/a/c/d")
        );
        assert_eq!(normalize(Path::new("/a/../../etc")), PathBuf::from("/etc"));
        assert_eq!(
            normalize(Path::new("api-docs/beta/..")),
            PathBuf::from("api-docs")
        );
        assert_eq!(normalize(Path::new("../x/..")), PathBuf::from(".."));
    }
}
