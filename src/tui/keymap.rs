//! Keys → actions, per scope. The single source for dispatch, the `?` help,
//! the footer hints and the man page's key list; `[keys]` in the config
//! overrides only the actions it names.

use std::collections::BTreeMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use crate::config::KeySpec;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    Global,
    Inbox,
    Checklist,
    Matrix,
    Alerts,
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
    (Scope::Global, Action::Quit, &["q"], true),
    (Scope::Inbox, Action::PrevMonth, &["["], true),
    (Scope::Inbox, Action::NextMonth, &["]"], true),
    (Scope::Matrix, Action::Transpose, &["t"], true),
    (Scope::Matrix, Action::FirstColumn, &["0"], false),
    (Scope::Matrix, Action::LastColumn, &["$"], false),
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
    /// Defaults with the config's `[keys]` applied. Unknown actions, bad key
    /// names and clashes are errors naming what is wrong.
    pub fn with_overrides(overrides: &BTreeMap<String, KeySpec>) -> Result<Keymap, String> {
        let mut km = Keymap::default();
        for (name, spec) in overrides {
            let action = Action::from_name(name).ok_or_else(|| {
                let known: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
                format!("[keys]: unknown action {name:?}; known actions: {}", known.join(", "))
            })?;
            let keys = spec
                .keys()
                .iter()
                .map(|k| Key::parse(k).map_err(|e| format!("[keys] {name}: {e}")))
                .collect::<Result<Vec<_>, _>>()?;
            if keys.is_empty() {
                return Err(format!("[keys] {name}: no key given"));
            }
            match km.bindings.iter_mut().find(|b| b.action == action) {
                Some(b) => b.keys = keys,
                None => return Err(format!("[keys] {name}: this action cannot be bound")),
            }
        }
        km.check_clashes()?;
        Ok(km)
    }

    fn check_clashes(&self) -> Result<(), String> {
        for (i, a) in self.bindings.iter().enumerate() {
            for b in &self.bindings[i + 1..] {
                let overlap = a.scope == b.scope || a.scope == Scope::Global || b.scope == Scope::Global;
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
        let find = |s: Scope| {
            self.bindings
                .iter()
                .find(|b| b.scope == s && b.keys.contains(&key))
                .map(|b| b.action)
        };
        find(scope).or_else(|| find(Scope::Global))
    }

    /// Bindings visible in a pane: its own, then the global ones.
    pub fn effective(&self, scope: Scope) -> Vec<&Binding> {
        let own = self
            .bindings
            .iter()
            .filter(|b| b.scope == scope && scope != Scope::Global);
        own.chain(self.bindings.iter().filter(|b| b.scope == Scope::Global))
            .collect()
    }

    /// The first key of an action (for hints).
    pub fn key_of(&self, action: Action) -> Option<Key> {
        self.bindings
            .iter()
            .find(|b| b.action == action)
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
