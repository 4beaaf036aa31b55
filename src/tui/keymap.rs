//! Keys → actions, per scope. The single source for dispatch, the `?` help,
//! the footer hints and the man page's key list; `[keys]` in the config
//! overrides only the actions it names.

use std::collections::BTreeMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use crate::config::KeySpec;

/// Where a binding applies: the pane layer (global, or one pane), or one
/// kind of overlay. Overlay scopes stand alone: letters typed into a form
/// or a search never reach the pane's bindings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    Global,
    Inbox,
    Checklist,
    Matrix,
    Alerts,
    /// A detail popup (falls through to the pane's and the global keys).
    Detail,
    /// The `?` overlay (letters search).
    Help,
    /// Typing a filter (letters filter).
    Filter,
    /// A form (letters are text).
    Form,
    /// A yes/no question.
    Confirm,
}

impl Scope {
    pub const ALL: [Scope; 10] = [
        Scope::Global,
        Scope::Inbox,
        Scope::Checklist,
        Scope::Matrix,
        Scope::Alerts,
        Scope::Detail,
        Scope::Help,
        Scope::Filter,
        Scope::Form,
        Scope::Confirm,
    ];

    /// The name of its `[keys.NAME]` table in the config.
    pub fn name(self) -> &'static str {
        match self {
            Scope::Global => "global",
            Scope::Inbox => "inbox",
            Scope::Checklist => "checklist",
            Scope::Matrix => "matrix",
            Scope::Alerts => "alerts",
            Scope::Detail => "detail",
            Scope::Help => "help",
            Scope::Filter => "filter",
            Scope::Form => "form",
            Scope::Confirm => "confirm",
        }
    }

    /// Global and the panes: bindings that apply when no overlay is open.
    pub fn is_pane_layer(self) -> bool {
        matches!(
            self,
            Scope::Global | Scope::Inbox | Scope::Checklist | Scope::Matrix | Scope::Alerts
        )
    }
}

/// A key with its modifiers, normalized (no SHIFT on characters or BackTab).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Key {
    pub fn from_event(e: &KeyEvent) -> Key {
        Key {
            code: e.code,
            ctrl: e.modifiers.contains(KeyModifiers::CONTROL),
            alt: e.modifiers.contains(KeyModifiers::ALT),
        }
    }

    /// Parses `q`, `G`, `?`, `ctrl-d`, `alt-x`, `enter`, `esc`, `tab`, `shift-tab`,
    /// `up`, `pagedown`, `f5`, `space`, ….
    pub fn parse(s: &str) -> Result<Key, String> {
        let mut ctrl = false;
        let mut alt = false;
        let mut rest = s;
        loop {
            let lower = rest.to_ascii_lowercase();
            if let Some(r) = lower.strip_prefix("ctrl-").map(|r| &rest[rest.len() - r.len()..]) {
                ctrl = true;
                rest = r;
            } else if let Some(r) = lower.strip_prefix("alt-").map(|r| &rest[rest.len() - r.len()..]) {
                alt = true;
                rest = r;
            } else {
                break;
            }
        }
        let named = match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => Some(KeyCode::Enter),
            "esc" | "escape" => Some(KeyCode::Esc),
            "tab" => Some(KeyCode::Tab),
            "shift-tab" | "backtab" => Some(KeyCode::BackTab),
            "backspace" => Some(KeyCode::Backspace),
            "up" => Some(KeyCode::Up),
            "down" => Some(KeyCode::Down),
            "left" => Some(KeyCode::Left),
            "right" => Some(KeyCode::Right),
            "home" => Some(KeyCode::Home),
            "end" => Some(KeyCode::End),
            "pageup" | "pgup" => Some(KeyCode::PageUp),
            "pagedown" | "pgdn" => Some(KeyCode::PageDown),
            "delete" | "del" => Some(KeyCode::Delete),
            "insert" => Some(KeyCode::Insert),
            "space" => Some(KeyCode::Char(' ')),
            f if f.len() >= 2 && f.starts_with('f') && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) => {
                Some(KeyCode::F(f[1..].parse().unwrap_or(1)))
            }
            _ => None,
        };
        let code = match named {
            Some(c) => c,
            None => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if !c.is_control() => KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c }),
                    _ => {
                        return Err(format!(
                            "unknown key {s:?} (examples: \"q\", \"G\", \"ctrl-d\", \"enter\", \"shift-tab\", \"pagedown\")"
                        ));
                    }
                }
            }
        };
        Ok(Key { code, ctrl, alt })
    }
}

impl Key {
    /// The key spelled out in words (`Up`, `Shift-Tab`, `Ctrl-d`), as in the man page.
    pub fn long_name(&self) -> String {
        let base = match self.code {
            KeyCode::Up => "Up".to_string(),
            KeyCode::Down => "Down".to_string(),
            KeyCode::Left => "Left".to_string(),
            KeyCode::Right => "Right".to_string(),
            KeyCode::BackTab => "Shift-Tab".to_string(),
            KeyCode::Backspace => "Backspace".to_string(),
            _ => {
                let plain = Key {
                    ctrl: false,
                    alt: false,
                    ..*self
                };
                plain.to_string()
            }
        };
        let mut out = String::new();
        if self.ctrl {
            out.push_str("Ctrl-");
        }
        if self.alt {
            out.push_str("Alt-");
        }
        out.push_str(&base);
        out
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            write!(f, "Ctrl-")?;
        }
        if self.alt {
            write!(f, "Alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => write!(f, "Space"),
            // Ctrl-S, as keyboards label it.
            KeyCode::Char(c) if self.ctrl => write!(f, "{}", c.to_ascii_uppercase()),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => write!(f, "Enter"),
            KeyCode::Esc => write!(f, "Esc"),
            KeyCode::Tab => write!(f, "Tab"),
            KeyCode::BackTab => write!(f, "S-Tab"),
            KeyCode::Backspace => write!(f, "Bksp"),
            KeyCode::Up => write!(f, "↑"),
            KeyCode::Down => write!(f, "↓"),
            KeyCode::Left => write!(f, "←"),
            KeyCode::Right => write!(f, "→"),
            KeyCode::Home => write!(f, "Home"),
            KeyCode::End => write!(f, "End"),
            KeyCode::PageUp => write!(f, "PgUp"),
            KeyCode::PageDown => write!(f, "PgDn"),
            KeyCode::Delete => write!(f, "Del"),
            KeyCode::Insert => write!(f, "Ins"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// One action with its keys in one scope.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub scope: Scope,
    pub action: Action,
    pub keys: Vec<Key>,
    /// Shown in the footer.
    pub hint: bool,
}

/// The effective key bindings.
#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

const DEFAULTS: &[(Scope, Action, &[&str], bool)] = &[
    (Scope::Global, Action::Help, &["?"], true),
    (Scope::Global, Action::Open, &["enter"], true),
    (Scope::Global, Action::Filter, &["/"], true),
    (Scope::Global, Action::Sort, &["s"], true),
    (Scope::Global, Action::NextPane, &["tab"], true),
    (Scope::Global, Action::PrevPane, &["shift-tab"], false),
    (Scope::Global, Action::PaneInbox, &["1"], false),
    (Scope::Global, Action::PaneChecklist, &["2"], false),
    (Scope::Global, Action::PaneMatrix, &["3"], false),
    (Scope::Global, Action::PaneAlerts, &["4"], false),
    (Scope::Global, Action::Down, &["j", "down"], false),
    (Scope::Global, Action::Up, &["k", "up"], false),
    (Scope::Global, Action::Left, &["h", "left"], false),
    (Scope::Global, Action::Right, &["l", "right"], false),
    (Scope::Global, Action::Top, &["g", "home"], false),
    (Scope::Global, Action::Bottom, &["G", "end"], false),
    (Scope::Global, Action::HalfPageDown, &["ctrl-d"], false),
    (Scope::Global, Action::HalfPageUp, &["ctrl-u"], false),
    (Scope::Global, Action::PageDown, &["pagedown"], false),
    (Scope::Global, Action::PageUp, &["pageup"], false),
    (Scope::Global, Action::Back, &["esc"], false),
    (Scope::Global, Action::Redraw, &["ctrl-l"], false),
    (Scope::Global, Action::Undo, &["u"], true),
    (Scope::Global, Action::Mark, &["space"], false),
    (Scope::Global, Action::MarkAll, &["V"], false),
    (Scope::Global, Action::Quit, &["q"], true),
    (Scope::Inbox, Action::Accept, &["a"], true),
    (Scope::Inbox, Action::Return, &["r"], true),
    (Scope::Inbox, Action::Remind, &["c"], true),
    (Scope::Inbox, Action::Note, &["n"], true),
    (Scope::Inbox, Action::PrevMonth, &["["], false),
    (Scope::Inbox, Action::NextMonth, &["]"], false),
    (Scope::Inbox, Action::FilterStatus, &["f"], true),
    (Scope::Inbox, Action::FilterKind, &["K"], false),
    (Scope::Inbox, Action::ToggleImports, &["I"], true),
    (Scope::Inbox, Action::ToggleGrid, &["m"], true),
    (Scope::Inbox, Action::EnterReport, &["e"], true),
    (Scope::Inbox, Action::Versions, &["v"], false),
    (Scope::Alerts, Action::Remind, &["c"], true),
    (Scope::Alerts, Action::Extend, &["e"], true),
    (Scope::Alerts, Action::Done, &["d"], true),
    (Scope::Alerts, Action::Escalate, &["x"], true),
    (Scope::Alerts, Action::Snooze, &["z"], true),
    (Scope::Alerts, Action::Note, &["n"], false),
    (Scope::Alerts, Action::Info, &["i"], false),
    (Scope::Alerts, Action::FilterLevel, &["f"], true),
    (Scope::Alerts, Action::FilterSource, &["S"], false),
    (Scope::Alerts, Action::FilterKind, &["K"], false),
    (Scope::Alerts, Action::TogglePending, &["p"], false),
    (Scope::Alerts, Action::ToggleSnoozed, &["Z"], false),
    (Scope::Checklist, Action::ToggleFold, &["o"], false),
    (Scope::Checklist, Action::FoldAll, &["O"], false),
    (Scope::Checklist, Action::Advance, &[">"], true),
    (Scope::Checklist, Action::SetStatus, &["S"], true),
    (Scope::Checklist, Action::NewItem, &["N"], true),
    (Scope::Checklist, Action::ToggleGrid, &["m"], true),
    (Scope::Checklist, Action::Info, &["i"], false),
    (Scope::Matrix, Action::Transpose, &["t"], true),
    (Scope::Matrix, Action::FocusUnit, &["f"], true),
    (Scope::Matrix, Action::JumpArticle, &[":"], false),
    (Scope::Matrix, Action::ToggleCollectives, &["c"], false),
    (Scope::Matrix, Action::ToggleMeasures, &["M"], true),
    (Scope::Matrix, Action::FirstColumn, &["0"], false),
    (Scope::Matrix, Action::LastColumn, &["$"], false),
    (Scope::Detail, Action::Back, &["esc"], true),
    (Scope::Detail, Action::Open, &["enter"], false),
    (Scope::Help, Action::Cancel, &["esc", "enter"], true),
    (Scope::Help, Action::Up, &["up"], false),
    (Scope::Help, Action::Down, &["down"], false),
    (Scope::Help, Action::PageUp, &["pageup"], false),
    (Scope::Help, Action::PageDown, &["pagedown"], false),
    (Scope::Help, Action::Top, &["home"], false),
    (Scope::Help, Action::Bottom, &["end"], false),
    (Scope::Filter, Action::Submit, &["enter"], true),
    (Scope::Filter, Action::Cancel, &["esc"], true),
    (Scope::Filter, Action::Up, &["up"], false),
    (Scope::Filter, Action::Down, &["down"], false),
    (Scope::Form, Action::Save, &["ctrl-s"], true),
    (Scope::Form, Action::Cancel, &["esc"], true),
    (Scope::Form, Action::NextField, &["tab"], true),
    (Scope::Form, Action::PrevField, &["shift-tab"], false),
    (Scope::Confirm, Action::Yes, &["y", "enter"], true),
    (Scope::Confirm, Action::No, &["n", "esc"], true),
];

impl Default for Keymap {
    fn default() -> Self {
        Keymap {
            bindings: DEFAULTS
                .iter()
                .map(|(scope, action, keys, hint)| Binding {
                    scope: *scope,
                    action: *action,
                    keys: keys
                        .iter()
                        .map(|k| Key::parse(k).expect("default keys parse"))
                        .collect(),
                    hint: *hint,
                })
                .collect(),
        }
    }
}

impl Keymap {
    /// Defaults with the config's `[keys]` applied. A top-level name rebinds
    /// the action wherever it is bound in the pane layer; `[keys.SCOPE]`
    /// rebinds it in that scope only. Unknown actions and scopes, bad key
    /// names and clashes are errors naming what is wrong.
    pub fn with_overrides(overrides: &BTreeMap<String, KeySpec>) -> Result<Keymap, String> {
        let mut km = Keymap::default();
        for (name, spec) in overrides {
            if let KeySpec::Scope(inner) = spec {
                let scope = Scope::ALL.into_iter().find(|s| s.name() == name).ok_or_else(|| {
                    let known: Vec<&str> = Scope::ALL.iter().map(|s| s.name()).collect();
                    format!("[keys.{name}]: unknown scope; known scopes: {}", known.join(", "))
                })?;
                for (action, spec) in inner {
                    km.rebind(action, spec, Some(scope), &format!("[keys.{name}] {action}"))?;
                }
            } else {
                km.rebind(name, spec, None, &format!("[keys] {name}"))?;
            }
        }
        km.check_clashes()?;
        Ok(km)
    }

    fn rebind(&mut self, name: &str, spec: &KeySpec, scope: Option<Scope>, place: &str) -> Result<(), String> {
        let action = Action::from_name(name).ok_or_else(|| {
            let known: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
            format!(
                "{}: unknown action {name:?}; known actions: {}",
                place.split(' ').next().unwrap_or("[keys]"),
                known.join(", ")
            )
        })?;
        if matches!(spec, KeySpec::Scope(_)) {
            return Err(format!("{place}: a table is not allowed here"));
        }
        let keys = spec
            .keys()
            .iter()
            .map(|k| Key::parse(k).map_err(|e| format!("{place}: {e}")))
            .collect::<Result<Vec<_>, _>>()?;
        if keys.is_empty() {
            return Err(format!("{place}: no key given"));
        }
        let mut found = false;
        for b in self.bindings.iter_mut().filter(|b| b.action == action) {
            let applies = match scope {
                Some(s) => b.scope == s,
                None => b.scope.is_pane_layer(),
            };
            if applies {
                b.keys = keys.clone();
                found = true;
            }
        }
        if found {
            Ok(())
        } else {
            Err(format!("{place}: this action cannot be bound there"))
        }
    }

    fn check_clashes(&self) -> Result<(), String> {
        for (i, a) in self.bindings.iter().enumerate() {
            for b in &self.bindings[i + 1..] {
                let overlap = a.scope == b.scope
                    || (a.scope.is_pane_layer()
                        && b.scope.is_pane_layer()
                        && (a.scope == Scope::Global || b.scope == Scope::Global));
                if !overlap {
                    continue;
                }
                if let Some(k) = a.keys.iter().find(|k| b.keys.contains(k)) {
                    return Err(format!(
                        "[keys]: key {k} is bound to both {} and {}",
                        a.action.name(),
                        b.action.name()
                    ));
                }
            }
        }
        Ok(())
    }

    /// The action of a key in a pane (pane bindings first, then global).
    pub fn resolve(&self, scope: Scope, key: Key) -> Option<Action> {
        self.resolve_only(scope, key).or_else(|| {
            if scope.is_pane_layer() {
                self.resolve_only(Scope::Global, key)
            } else {
                None
            }
        })
    }

    /// The action of a key in exactly one scope.
    pub fn resolve_only(&self, scope: Scope, key: Key) -> Option<Action> {
        self.bindings
            .iter()
            .find(|b| b.scope == scope && b.keys.contains(&key))
            .map(|b| b.action)
    }

    /// Bindings visible in a scope: its own, then (for a pane) the global ones.
    pub fn effective(&self, scope: Scope) -> Vec<&Binding> {
        let own = self
            .bindings
            .iter()
            .filter(|b| b.scope == scope && scope != Scope::Global);
        let global = self
            .bindings
            .iter()
            .filter(move |b| b.scope == Scope::Global && scope.is_pane_layer());
        own.chain(global).collect()
    }

    /// The first key of an action in a scope (pane layer: its own, then global).
    pub fn key_in(&self, scope: Scope, action: Action) -> Option<Key> {
        let find = |s: Scope| {
            self.bindings
                .iter()
                .find(|b| b.scope == s && b.action == action)
                .and_then(|b| b.keys.first().copied())
        };
        find(scope).or_else(|| {
            if scope.is_pane_layer() {
                find(Scope::Global)
            } else {
                None
            }
        })
    }

    /// The first key of an action in the pane layer (for hints).
    pub fn key_of(&self, action: Action) -> Option<Key> {
        self.bindings
            .iter()
            .find(|b| b.action == action && b.scope.is_pane_layer())
            .and_then(|b| b.keys.first().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyEventKind;

    fn ev(code: KeyCode, m: KeyModifiers) -> Key {
        Key::from_event(&KeyEvent {
            code,
            modifiers: m,
            kind: KeyEventKind::Press,
            state: crossterm::event::KeyEventState::NONE,
        })
    }

    #[test]
    fn defaults_resolve_per_scope() {
        let km = Keymap::default();
        assert_eq!(
            km.resolve(Scope::Inbox, ev(KeyCode::Char('['), KeyModifiers::NONE)),
            Some(Action::PrevMonth)
        );
        assert_eq!(
            km.resolve(Scope::Matrix, ev(KeyCode::Char('['), KeyModifiers::NONE)),
            None
        );
        assert_eq!(
            km.resolve(Scope::Matrix, ev(KeyCode::Char('t'), KeyModifiers::NONE)),
            Some(Action::Transpose)
        );
        assert_eq!(
            km.resolve(Scope::Alerts, ev(KeyCode::Char('d'), KeyModifiers::CONTROL)),
            Some(Action::HalfPageDown)
        );
        assert_eq!(
            km.resolve(Scope::Alerts, ev(KeyCode::Char('G'), KeyModifiers::NONE)),
            Some(Action::Bottom)
        );
        assert_eq!(
            km.resolve(Scope::Alerts, ev(KeyCode::BackTab, KeyModifiers::NONE)),
            Some(Action::PrevPane)
        );
        // Every bindable action has a default binding.
        for a in Action::ALL {
            assert!(km.bindings.iter().any(|b| b.action == *a), "{a:?} unbound");
        }
    }

    #[test]
    fn overrides_replace_only_what_they_name() {
        let mut o = BTreeMap::new();
        o.insert("quit".to_string(), KeySpec::Many(vec!["ctrl-q".into(), "Q".into()]));
        let km = Keymap::with_overrides(&o).unwrap();
        assert_eq!(
            km.resolve(Scope::Inbox, ev(KeyCode::Char('q'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(
            km.resolve(Scope::Inbox, ev(KeyCode::Char('q'), KeyModifiers::NONE)),
            None
        );
        assert_eq!(
            km.resolve(Scope::Inbox, ev(KeyCode::Char('s'), KeyModifiers::NONE)),
            Some(Action::Sort)
        );
    }

    #[test]
    fn bad_overrides_are_named() {
        let one = |k: &str, v: &str| {
            let mut o = BTreeMap::new();
            o.insert(k.to_string(), KeySpec::One(v.to_string()));
            Keymap::with_overrides(&o).unwrap_err()
        };
        assert!(one("fly", "x").contains("unknown action \"fly\""));
        let mut o = BTreeMap::new();
        let mut inner = BTreeMap::new();
        inner.insert("save".to_string(), KeySpec::One("ctrl-w".into()));
        o.insert("form".to_string(), KeySpec::Scope(inner.clone()));
        let km = Keymap::with_overrides(&o).unwrap();
        assert_eq!(
            km.resolve_only(Scope::Form, ev(KeyCode::Char('w'), KeyModifiers::CONTROL)),
            Some(Action::Save)
        );
        // Overlay keys never leak into the panes, nor pane keys into overlays.
        assert_eq!(
            km.resolve(Scope::Inbox, ev(KeyCode::Char('w'), KeyModifiers::CONTROL)),
            None
        );
        assert_eq!(
            km.resolve(Scope::Form, ev(KeyCode::Char('q'), KeyModifiers::NONE)),
            None
        );
        let mut o = BTreeMap::new();
        o.insert("dialog".to_string(), KeySpec::Scope(inner));
        assert!(Keymap::with_overrides(&o).unwrap_err().contains("unknown scope"));
        assert!(one("quit", "ctrl-").contains("unknown key"));
        let e = one("sort", "q");
        assert!(
            e.contains("bound to both") && e.contains("sort") && e.contains("quit"),
            "{e}"
        );
        let e = one("transpose", "j");
        assert!(e.contains("down"), "{e}");
    }
}
