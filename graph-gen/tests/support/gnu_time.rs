//! Running a command under GNU time (`/usr/bin/time`) when it is installed: how long it took and
//! the peak resident memory of its largest process (rustc, for cargo). Shared by the corpus test
//! and the build-cost bench.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What one run of a command measured.
pub struct Measured {
    pub succeeded: bool,
    pub elapsed: Duration,
    /// `None` without GNU time.
    pub peak_kib: Option<u64>,
    /// User plus system time of the command and its children; `None` without GNU time.
    #[allow(dead_code, reason = "read by the build-cost bench, not by every test")]
    pub cpu: Option<Duration>,
}

/// Runs `command` (its stderr discarded when `quiet`) and measures it.
pub fn run(command: Command, quiet: bool) -> Measured {
    let stats_file = std::env::temp_dir().join(format!("graph-gen-time-{}", std::process::id()));
    let gnu_time = Path::new("/usr/bin/time");
    let mut run = if gnu_time.exists() {
        let mut wrapped = Command::new(gnu_time);
        wrapped.args(["-f", "%M %U %S", "-o"]).arg(&stats_file);
        wrapped.arg(command.get_program()).args(command.get_args());
        if let Some(dir) = command.get_current_dir() {
            wrapped.current_dir(dir);
        }
        for (key, value) in command.get_envs() {
            match value {
                Some(value) => wrapped.env(key, value),
                None => wrapped.env_remove(key),
            };
        }
        wrapped
    } else {
        command
    };
    if quiet {
        run.stderr(Stdio::null());
    }
    let started = Instant::now();
    let succeeded = run.status().expect("the command runs").success();
    let elapsed = started.elapsed();
    // The last line: GNU time puts "Command exited with non-zero status" before it.
    let stats = std::fs::read_to_string(&stats_file)
        .ok()
        .and_then(|text| text.lines().last().map(str::to_owned))
        .unwrap_or_default();
    let _ = std::fs::remove_file(&stats_file);
    let mut fields = stats.split_whitespace();
    let peak_kib = fields.next().and_then(|kib| kib.parse().ok());
    let seconds: Vec<f64> = fields.filter_map(|s| s.parse().ok()).collect();
    let cpu = (seconds.len() == 2).then(|| Duration::from_secs_f64(seconds[0] + seconds[1]));
    Measured {
        succeeded,
        elapsed,
        peak_kib,
        cpu,
    }
}
