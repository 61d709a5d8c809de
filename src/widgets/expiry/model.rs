//! The expiry widget outside the DOM: which `exp:` keys it draws, the state
//! of each (live, expired but still in the keyspace — a *ghost* — or
//! reclaimed, and how), what the last active-expiry cycles touched, the
//! live/ghost history, and the commands its buttons send.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

use playground_core::rng::Rng;
use playground_core::store::{CycleKind, CycleReport, ExpireMode, ExpiryKind, KeyEvent};
use playground_core::time::Millis;

use crate::sim::SimState;
use crate::widgets::load::model::{line_path, nice_max};

/// The widget's keys all start with this.
pub const NAMESPACE: &str = "exp:";
/// Most cells drawn; the counts cover every tracked key.
pub const MAX_CELLS: usize = 1_000;
/// Most keys tracked (the oldest reclaimed ones are forgotten first).
pub const MAX_TRACKED: usize = 5_000;
/// TTLs the add buttons draw from, in ms (uniform).
pub const TTL_RANGE_MS: (u64, u64) = (1_000, 20_000);
/// One chart point every this many virtual ms, this many points (60 s).
pub const SAMPLE_MS: Millis = 500;
pub const HISTORY: usize = 120;
pub const CHART_W: f64 = 300.0;
pub const CHART_H: f64 = 70.0;

/// How a key left the keyspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Gone {
    /// Found by the active cycle.
    Active,
    /// Found expired when a command touched it.
    Passive,
    /// DEL, eviction, FLUSHALL, or a reset.
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CellState {
    /// Alive; remaining TTL as a level 0 (about to go) … 4 (fresh).
    Live(u8),
    /// Alive without a TTL (someone SET it again without PX).
    NoTtl,
    /// Past its expiry time, still in the keyspace.
    Ghost,
    Gone(Gone),
}

/// What the most recent cycle(s) did to a key, shown for about one cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Flash {
    None,
    /// Looked at by the active cycle, still alive.
    Sampled,
    /// Deleted by the active cycle.
    Reclaimed,
    /// Deleted on access (passive expiry).
    Passive,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellView {
    /// Stable per key for the life of the widget.
    pub id: u64,
    /// Shared with the model: cloning a cell per frame copies no text.
    pub key: Arc<str>,
    pub state: CellState,
    pub flash: Flash,
}

impl CellView {
    pub fn class(&self) -> String {
        let state = match self.state {
            CellState::Live(l) => format!("pg-ex__cell pg-ex__cell--live pg-ex__cell--l{l}"),
            CellState::NoTtl => "pg-ex__cell pg-ex__cell--live pg-ex__cell--l4".into(),
            CellState::Ghost => "pg-ex__cell pg-ex__cell--ghost".into(),
            CellState::Gone(Gone::Passive) => {
                "pg-ex__cell pg-ex__cell--gone pg-ex__cell--passive".into()
            }
            CellState::Gone(_) => "pg-ex__cell pg-ex__cell--gone".into(),
        };
        match self.flash {
            Flash::None => state,
            Flash::Sampled => format!("{state} pg-ex__cell--sampled"),
            Flash::Reclaimed => format!("{state} pg-ex__cell--reclaimed"),
            Flash::Passive => format!("{state} pg-ex__cell--touched"),
        }
    }

    pub fn state_name(&self) -> &'static str {
        match self.state {
            CellState::Live(_) | CellState::NoTtl => "live",
            CellState::Ghost => "ghost",
            CellState::Gone(Gone::Active) => "reclaimed-active",
            CellState::Gone(Gone::Passive) => "reclaimed-passive",
            CellState::Gone(Gone::Other) => "gone",
        }
    }

    pub fn title(&self) -> String {
        let what = match self.state {
            CellState::Live(_) => "live",
            CellState::NoTtl => "live, no TTL",
            CellState::Ghost => "expired, not yet reclaimed",
            CellState::Gone(Gone::Active) => "reclaimed by the active cycle",
            CellState::Gone(Gone::Passive) => "deleted on access (passive)",
            CellState::Gone(Gone::Other) => "deleted",
        };
        format!("{}: {what}", self.key)
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub tracked: usize,
    pub live: usize,
    pub ghosts: usize,
    pub reclaimed_active: u64,
    pub reclaimed_passive: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ConfigView {
    pub hz: u32,
    pub effort: u32,
    pub mode: ExpireMode,
}

/// What the view needs after a sync; `None`: unchanged since the last one.
#[derive(Debug, Default)]
pub struct Sync {
    pub cells: Option<Vec<CellView>>,
    pub counts: Counts,
    /// `expired_stale_perc` as INFO prints it.
    pub stale: String,
    pub last_cycle: Option<String>,
    pub config: Option<ConfigView>,
    /// `(live path, ghosts path, y max)`.
    pub chart: Option<(String, String, String)>,
}

struct Tracked {
    id: u64,
    key: Vec<u8>,
    label: Arc<str>,
}

#[derive(Default)]
pub struct Model {
    tracked: Vec<Tracked>,
    index: HashSet<Vec<u8>>,
    gone: HashMap<Vec<u8>, Gone>,
    next_id: u64,
    next_key: u64,
    counts: Counts,
    flash: HashMap<Vec<u8>, Flash>,
    flash_at: Millis,
    cycle_cursor: u64,
    event_cursor: u64,
    last_now: Millis,
    last_cells: Vec<CellView>,
    last_config: Option<ConfigView>,
    history: VecDeque<(Millis, usize, usize)>,
    next_sample: Millis,
    chart_dirty: bool,
    rng: Option<Rng>,
}

/// "slow cycle at 12.300 s sampled 20, expired 5", and why it stopped
/// early, if it did.
pub fn cycle_text(c: &CycleReport) -> String {
    let kind = match c.kind {
        CycleKind::Slow => "slow",
        CycleKind::Fast => "fast",
    };
    let mut s = format!(
        "{kind} cycle at {}.{:03} s sampled {}, expired {}",
        c.at / 1_000,
        c.at % 1_000,
        c.sampled,
        c.expired
    );
    if c.loops > 1 {
        s.push_str(&format!(" in {} loops", c.loops));
    }
    if c.hit_time_limit {
        s.push_str(", stopped at its time limit");
    }
    s
}

fn level(remaining: Millis) -> u8 {
    match remaining {
        0..=1_999 => 0,
        2_000..=4_999 => 1,
        5_000..=9_999 => 2,
        10_000..=14_999 => 3,
        _ => 4,
    }
}

impl Model {
    pub fn new(seed: u64) -> Self {
        Model {
            rng: Some(Rng::new(seed ^ 0xE4_91_8E)),
            chart_dirty: true,
            ..Model::default()
        }
    }

    fn track(&mut self, key: &[u8]) {
        if self.index.contains(key) {
            self.gone.remove(key);
            return;
        }
        if self.tracked.len() >= MAX_TRACKED {
            self.forget_gone();
            if self.tracked.len() >= MAX_TRACKED {
                return;
            }
        }
        self.next_id += 1;
        self.index.insert(key.to_vec());
        self.tracked.push(Tracked {
            id: self.next_id,
            key: key.to_vec(),
            label: String::from_utf8_lossy(key)
                .chars()
                .take(40)
                .collect::<String>()
                .into(),
        });
    }

    /// Drops reclaimed keys from the grid (new keys take their place).
    pub fn forget_gone(&mut self) {
        let gone = std::mem::take(&mut self.gone);
        self.tracked.retain(|t| !gone.contains_key(&t.key));
        for k in gone.keys() {
            self.index.remove(k);
        }
    }

    /// `count` SET lines with random TTLs for new keys of the namespace.
    /// The keys are tracked from now; reclaimed ones leave the grid.
    pub fn add_commands(&mut self, count: usize) -> Vec<String> {
        self.forget_gone();
        let rng = self.rng.get_or_insert_with(|| Rng::new(1));
        let (lo, hi) = TTL_RANGE_MS;
        let mut lines = Vec::with_capacity(count);
        for _ in 0..count {
            self.next_key += 1;
            let ttl = lo + rng.up_to(hi - lo);
            lines.push(format!("SET {NAMESPACE}{} x PX {ttl}", self.next_key));
        }
        lines
    }

    /// A key that is expired but still in the keyspace, for the passive
    /// expiry button (a random one, so repeated clicks spread over the grid).
    pub fn pick_ghost(&mut self, st: &SimState) -> Option<String> {
        let now = st.engine.now();
        let ghosts: Vec<usize> = st.engine.with_store(|s| {
            self.tracked
                .iter()
                .enumerate()
                .filter(|(_, t)| s.keyspace.peek(&t.key).is_some_and(|e| e.is_expired(now)))
                .map(|(i, _)| i)
                .collect()
        });
        let n = ghosts.len() as u64;
        if n == 0 {
            return None;
        }
        let i = self.rng.as_mut().map_or(0, |r| r.up_to(n - 1)) as usize;
        let t = self.tracked.get(*ghosts.get(i)?)?;
        Some(String::from_utf8_lossy(&t.key).into_owned())
    }

    pub fn sync(&mut self, st: &SimState) -> Sync {
        let now = st.engine.now();
        if now < self.last_now {
            // The simulation was reset: its keyspace is empty.
            self.tracked.clear();
            self.index.clear();
            self.gone.clear();
            self.flash.clear();
            self.history.clear();
            self.next_sample = 0;
            self.counts = Counts::default();
            self.chart_dirty = true;
        }
        self.last_now = now;

        let (events, cursor) = st.events.since(self.event_cursor);
        self.event_cursor = cursor;
        let mut passive = Vec::new();
        for e in events {
            let key = e.key();
            if !key.starts_with(NAMESPACE.as_bytes()) {
                continue;
            }
            match e {
                KeyEvent::Set { .. } => self.track(key),
                KeyEvent::Expired { kind, .. } => {
                    let how = match kind {
                        ExpiryKind::Active => {
                            self.counts.reclaimed_active += 1;
                            Gone::Active
                        }
                        ExpiryKind::Passive => {
                            self.counts.reclaimed_passive += 1;
                            passive.push(key.to_vec());
                            Gone::Passive
                        }
                    };
                    if self.index.contains(key) {
                        self.gone.insert(key.to_vec(), how);
                    }
                }
                KeyEvent::Deleted { .. } | KeyEvent::Evicted { .. } => {
                    if self.index.contains(key) {
                        self.gone.insert(key.to_vec(), Gone::Other);
                    }
                }
            }
        }

        // The cycles since the last sync light up what they looked at; the
        // highlight stays about one cycle (a tick), then goes.
        let (cycles, cursor) = st.cycles.since(self.cycle_cursor);
        self.cycle_cursor = cursor;
        let mut last_cycle = None;
        let mut fresh = false;
        for c in cycles {
            if !fresh {
                self.flash.clear();
                fresh = true;
            }
            for (key, dead) in &c.sample {
                if self.index.contains(key) {
                    let f = if *dead {
                        Flash::Reclaimed
                    } else {
                        Flash::Sampled
                    };
                    let slot = self.flash.entry(key.clone()).or_insert(f);
                    if f == Flash::Reclaimed {
                        *slot = f;
                    }
                }
            }
            last_cycle = Some(cycle_text(c));
        }
        for k in passive {
            if !fresh {
                self.flash.clear();
                fresh = true;
            }
            self.flash.insert(k, Flash::Passive);
        }
        let config = st.engine.with_store(|s| ConfigView {
            hz: s.config.hz,
            effort: s.config.active_expire_effort,
            mode: s.config.expire_mode,
        });
        let tick = 1_000 / Millis::from(config.hz.max(1));
        if fresh {
            self.flash_at = now;
        } else if now.saturating_sub(self.flash_at) >= tick.max(100) {
            self.flash.clear();
        }

        // Cell states, straight from the keyspace (peek changes nothing).
        let (live, ghosts, cells) = st.engine.with_store(|s| {
            let mut live = 0;
            let mut ghosts = 0;
            let skip = self.tracked.len().saturating_sub(MAX_CELLS);
            let mut cells = Vec::with_capacity(self.tracked.len().min(MAX_CELLS));
            for (i, t) in self.tracked.iter().enumerate() {
                let state = match s.keyspace.peek(&t.key) {
                    Some(e) => match e.expire_at() {
                        Some(_) if e.is_expired(now) => {
                            ghosts += 1;
                            CellState::Ghost
                        }
                        Some(at) => {
                            live += 1;
                            CellState::Live(level(at - now))
                        }
                        None => {
                            live += 1;
                            CellState::NoTtl
                        }
                    },
                    None => CellState::Gone(self.gone.get(&t.key).copied().unwrap_or(Gone::Other)),
                };
                if i >= skip {
                    cells.push(CellView {
                        id: t.id,
                        key: t.label.clone(),
                        state,
                        flash: self.flash.get(&t.key).copied().unwrap_or(Flash::None),
                    });
                }
            }
            (live, ghosts, cells)
        });
        // A key that vanished without an event we saw (a reset) is gone.
        self.counts.tracked = self.tracked.len();
        self.counts.live = live;
        self.counts.ghosts = ghosts;
        let cells = (cells != self.last_cells).then(|| {
            self.last_cells = cells.clone();
            cells
        });

        while self.next_sample <= now {
            if self.history.len() >= HISTORY {
                self.history.pop_front();
            }
            self.history.push_back((self.next_sample, live, ghosts));
            self.next_sample += SAMPLE_MS;
            self.chart_dirty = true;
        }
        let chart = std::mem::take(&mut self.chart_dirty).then(|| self.chart());

        let stale = st
            .engine
            .with_store(|s| format!("{:.2}%", s.server.expire.stale_perc * 100.0));
        let config = (self.last_config.as_ref() != Some(&config)).then(|| {
            self.last_config = Some(config.clone());
            config
        });
        Sync {
            cells,
            counts: self.counts,
            stale,
            last_cycle,
            config,
            chart,
        }
    }

    fn chart(&self) -> (String, String, String) {
        let x1 = self.history.back().map_or(0.0, |p| p.0 as f64);
        let x0 = x1 - (SAMPLE_MS * (HISTORY as Millis - 1)) as f64;
        let top = self.history.iter().map(|p| p.1.max(p.2)).max().unwrap_or(0);
        let y_max = nice_max(top as f64);
        let path = |f: fn(&(Millis, usize, usize)) -> usize| {
            let pts: Vec<(f64, f64)> = self
                .history
                .iter()
                .map(|p| (p.0 as f64, f(p) as f64))
                .collect();
            line_path(&pts, x0, x1, y_max, CHART_W, CHART_H)
        };
        (path(|p| p.1), path(|p| p.2), format!("{y_max:.0}"))
    }
}

/// The CONFIG SET line for a typed `hz` or `active-expire-effort`, clamped
/// into Redis's range, and a note when it had to be.
pub fn config_line(param: &str, raw: &str) -> Result<(String, Option<String>), String> {
    let range = match param {
        "hz" => (1.0, 500.0),
        _ => (1.0, 10.0),
    };
    let (v, note) = crate::widgets::load::model::clamp_number(raw, range, param)?;
    Ok((format!("CONFIG SET {param} {}", v.round() as u64), note))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(st: &mut SimState, lines: &[String]) {
        for l in lines {
            st.engine.console_line(l);
        }
        st.collect();
    }

    #[test]
    fn add_commands_draw_ttls_in_range_in_the_namespace() {
        let mut m = Model::new(1);
        let lines = m.add_commands(200);
        assert_eq!(lines.len(), 200);
        assert_eq!(lines[0].split(' ').nth(1), Some("exp:1"));
        for l in &lines {
            let parts: Vec<&str> = l.split(' ').collect();
            assert_eq!(parts.len(), 5, "{l}");
            assert!(parts[1].starts_with(NAMESPACE));
            let ttl: u64 = parts[4].parse().expect("a number");
            assert!((1_000..=20_000).contains(&ttl), "{l}");
        }
        let more = m.add_commands(1);
        assert_eq!(more[0].split(' ').nth(1), Some("exp:201"), "numbers go on");
    }

    #[test]
    fn keys_live_then_ghost_then_reclaimed_by_active_cycles() {
        let mut st = SimState::new(3);
        // One cron tick every second: ghosts linger long enough to see.
        st.engine.console_line("CONFIG SET hz 1");
        let mut m = Model::new(3);
        let lines = m.add_commands(200);
        run(&mut st, &lines);
        // Someone else's keys are not drawn.
        st.engine.console_line("SET other x PX 1000");
        st.collect();
        let s = m.sync(&st);
        assert_eq!(s.counts.tracked, 200);
        assert_eq!(s.counts.live, 200);
        assert_eq!(s.counts.ghosts, 0);
        let cells = s.cells.expect("first cells");
        assert_eq!(cells.len(), 200);
        assert!(cells.iter().all(|c| matches!(c.state, CellState::Live(_))));
        assert_eq!(s.stale, "0.00%");
        let cfg = s.config.expect("config");
        assert_eq!((cfg.hz, cfg.effort, cfg.mode), (1, 1, ExpireMode::Modern));

        let mut saw_ghosts = 0;
        let mut saw_reclaimed_flash = false;
        let mut last_cycle = None;
        let mut chart = None;
        for _ in 0..100 {
            st.advance_by(250);
            let s = m.sync(&st);
            saw_ghosts = saw_ghosts.max(s.counts.ghosts);
            if let Some(c) = &s.cells {
                saw_reclaimed_flash |= c.iter().any(|c| c.flash == Flash::Reclaimed);
                // Ghost count agrees with the keyspace's own view.
                let ghosts = c.iter().filter(|c| c.state == CellState::Ghost).count();
                assert_eq!(ghosts, s.counts.ghosts);
            }
            last_cycle = s.last_cycle.or(last_cycle);
            chart = s.chart.or(chart);
        }
        assert!(saw_ghosts > 0, "expired keys wait for a cycle");
        assert!(saw_reclaimed_flash, "a cycle's deletions are highlighted");
        let s = m.sync(&st);
        assert_eq!(
            s.counts.live + s.counts.ghosts,
            0,
            "25 s later all 200 are gone"
        );
        assert_eq!(
            s.counts.reclaimed_active + s.counts.reclaimed_passive,
            200,
            "every one by expiry"
        );
        let text = last_cycle.expect("cycles ran");
        assert!(
            text.starts_with("slow cycle at ") || text.starts_with("fast cycle at "),
            "{text}"
        );
        let (live, ghosts, y_max) = chart.expect("a chart");
        assert!(live.starts_with('M') && ghosts.starts_with('M'));
        assert_eq!(y_max, "200");
        // INFO's figure, as text.
        let info = st.engine.console_line("INFO stats").unwrap_or_default();
        assert!(info.contains(&format!(
            "expired_stale_perc:{}",
            s.stale.trim_end_matches('%')
        )));
        // Adding again clears the reclaimed cells from the grid.
        let lines = m.add_commands(5);
        run(&mut st, &lines);
        assert_eq!(m.sync(&st).counts.tracked, 5);
    }

    #[test]
    fn a_get_on_a_ghost_is_a_passive_expiry() {
        let mut st = SimState::new(4);
        st.engine.console_line("DEBUG SET-ACTIVE-EXPIRE 0");
        let mut m = Model::new(4);
        let lines = m.add_commands(10);
        run(&mut st, &lines);
        m.sync(&st);
        assert_eq!(m.pick_ghost(&st), None, "nothing expired yet");
        st.advance_by(21_000);
        let s = m.sync(&st);
        assert_eq!(s.counts.ghosts, 10, "no active cycle: all ghosts");
        let key = m.pick_ghost(&st).expect("a ghost");
        assert_eq!(
            st.engine.console_line(&format!("GET {key}")).as_deref(),
            Some("(nil)\n")
        );
        st.collect();
        let s = m.sync(&st);
        assert_eq!(s.counts.ghosts, 9);
        assert_eq!(s.counts.reclaimed_passive, 1);
        let cells = s.cells.expect("changed");
        let touched: Vec<&CellView> = cells.iter().filter(|c| *c.key == *key).collect();
        assert_eq!(touched.len(), 1);
        assert_eq!(touched[0].state, CellState::Gone(Gone::Passive));
        assert_eq!(touched[0].flash, Flash::Passive);
        assert!(touched[0].class().contains("pg-ex__cell--passive"));
        assert_eq!(touched[0].state_name(), "reclaimed-passive");
    }

    #[test]
    fn the_grid_is_capped_and_a_reset_clears_it() {
        let mut st = SimState::new(5);
        let mut m = Model::new(5);
        let lines = m.add_commands(1_200);
        run(&mut st, &lines);
        let s = m.sync(&st);
        assert_eq!(s.counts.tracked, 1_200);
        assert_eq!(s.cells.map(|c| c.len()), Some(MAX_CELLS));
        assert!(m.sync(&st).cells.is_none(), "unchanged: nothing to redraw");
        st.advance_by(500);
        m.sync(&st);
        st.reset();
        let s = m.sync(&st);
        // Same instant (0 < 500): the reset is noticed.
        assert_eq!(s.counts.tracked, 0);
    }

    #[test]
    fn classic_mode_and_config_lines() {
        let mut st = SimState::new(6);
        let mut m = Model::new(6);
        assert_eq!(
            st.engine
                .console_line("CONFIG SET expire-mode classic")
                .as_deref(),
            Some("OK\n")
        );
        let lines = m.add_commands(50);
        run(&mut st, &lines);
        st.advance_by(1_000);
        let s = m.sync(&st);
        assert_eq!(s.config.map(|c| c.mode), Some(ExpireMode::Classic));
        assert_eq!(
            config_line("hz", "50"),
            Ok(("CONFIG SET hz 50".into(), None))
        );
        let (line, note) = config_line("hz", "900").expect("a number");
        assert_eq!(line, "CONFIG SET hz 500");
        assert_eq!(note.as_deref(), Some("hz must be 1–500: using 500"));
        let (line, note) = config_line("active-expire-effort", "0").expect("a number");
        assert_eq!(line, "CONFIG SET active-expire-effort 1");
        assert!(note.is_some());
        assert!(config_line("hz", "soon").is_err());
    }

    #[test]
    fn cycle_text_reads_like_the_brief() {
        let c = CycleReport {
            at: 12_300,
            kind: CycleKind::Slow,
            mode: ExpireMode::Modern,
            loops: 1,
            sampled: 20,
            expired: 5,
            sample: vec![],
            work_ns: 0,
            hit_time_limit: false,
            stale_perc: 0.0,
        };
        assert_eq!(
            cycle_text(&c),
            "slow cycle at 12.300 s sampled 20, expired 5"
        );
        let c = CycleReport {
            loops: 3,
            hit_time_limit: true,
            ..c
        };
        assert_eq!(
            cycle_text(&c),
            "slow cycle at 12.300 s sampled 20, expired 5 in 3 loops, stopped at its time limit"
        );
    }
}
