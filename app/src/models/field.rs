//! Field entry by building («Передача показаний по дому»): what a phone keeps while a person
//! walks a building with no network — the building's sheet, the values typed so far (the
//! draft) and the sends waiting for the network (the queue) — and the rules that move values
//! between them. The browser keeps these in IndexedDB (`crate::offline`); the rules live
//! here, free of the browser, so they are tested natively.

use serde::{Deserialize, Serialize};

use super::entry::{EntryInput, EntryMeter, EntryProblem, EntryResult, TypedValue};
use super::key_map::KeyMap;

/// A building as the field screen lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldBuilding {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub premises: i64,
    pub meters: i64,
}

impl FieldBuilding {
    /// Whether every word typed («мосфильм 98», «профсоюзная 12») is in the name or address.
    pub fn matches(&self, typed: &str) -> bool {
        let hay = super::text::lowercase(&format!("{} {}", self.name, self.address));
        super::text::lowercase(typed)
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .all(|w| hay.contains(w))
    }
}

/// One building's meters in operation, flat by flat, with each register's previous reading.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldSheet {
    pub object_id: i64,
    pub object_name: String,
    pub address: String,
    /// When the server made the sheet (UTC seconds): an offline copy says how old it is.
    pub made_at: i64,
    pub premises: Vec<FieldPremise>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldPremise {
    /// Flat number; empty for the building's common meters (ОДПУ), listed last.
    pub flat: String,
    pub meters: Vec<EntryMeter>,
}

impl FieldSheet {
    /// How many value fields the sheet has (one per register).
    pub fn field_count(&self) -> usize {
        self.meters().map(|m| m.registers.len()).sum()
    }

    pub fn meters(&self) -> impl Iterator<Item = &EntryMeter> {
        self.premises.iter().flat_map(|p| p.meters.iter())
    }
}

/// The values typed on one building's sheet and not yet sent, kept on the device at once.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub meters: KeyMap<i64, DraftMeter>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DraftMeter {
    /// Made on the device when the meter's first value is typed; the server stores an id once.
    pub entry_id: String,
    /// When a value of this meter was last typed (device clock, UTC seconds).
    pub typed_at: i64,
    /// Tariff (0 for a single-tariff meter) → text as typed.
    pub values: KeyMap<u8, String>,
    /// Values the server refused, with the reason, until they are typed again.
    pub refused: KeyMap<u8, EntryProblem>,
}

impl Draft {
    /// What the field of this register shows.
    pub fn value(&self, meter_id: i64, tariff: u8) -> String {
        self.meters
            .get(&meter_id)
            .and_then(|m| m.values.get(&tariff))
            .cloned()
            .unwrap_or_default()
    }

    pub fn refusal(&self, meter_id: i64, tariff: u8) -> Option<EntryProblem> {
        self.meters.get(&meter_id)?.refused.get(&tariff).copied()
    }

    /// Keeps what was typed into one field. A refusal of that field is over once it is
    /// typed again; a meter with nothing left leaves the draft.
    pub fn set(
        &mut self,
        meter_id: i64,
        tariff: u8,
        text: &str,
        now: i64,
        new_id: impl FnOnce() -> String,
    ) {
        let meter = self.meters.get_or_default(meter_id);
        if meter.entry_id.is_empty() {
            meter.entry_id = new_id();
        }
        meter.refused.remove(&tariff);
        if text.trim().is_empty() {
            meter.values.remove(&tariff);
        } else {
            meter.values.insert(tariff, text.to_string());
            meter.typed_at = now;
        }
        if meter.values.is_empty() && meter.refused.is_empty() {
            self.meters.remove(&meter_id);
        }
    }

    /// Filled fields.
    pub fn filled(&self) -> usize {
        self.meters.values().map(|m| m.values.len()).sum()
    }

    /// The entries a send carries: every meter with at least one value.
    pub fn entries(&self) -> Vec<EntryInput> {
        self.meters
            .iter()
            .filter(|(_, m)| !m.values.is_empty())
            .map(|(id, m)| EntryInput {
                entry_id: m.entry_id.clone(),
                meter_id: *id,
                values: m
                    .values
                    .iter()
                    .map(|(t, text)| TypedValue {
                        tariff: *t,
                        text: text.clone(),
                    })
                    .collect(),
                typed_at: (m.typed_at > 0).then_some(m.typed_at),
            })
            .collect()
    }

    /// After the entries went into the queue: their values leave the draft, refusals of
    /// other fields stay on screen.
    pub fn clear_sent(&mut self) {
        self.meters.retain(|_, m| {
            m.values.clear();
            !m.refused.is_empty()
        });
    }

    /// Puts a value the server refused back into its field with the reason, under a new
    /// entry id (the old one may already name the meter's other, stored values). A value
    /// typed into that field since is newer and stays.
    pub fn restore(&mut self, value: &ReturnedValue, new_id: impl FnOnce() -> String) {
        let meter = self.meters.get_or_default(value.meter_id);
        if meter.values.contains_key(&value.tariff) {
            return;
        }
        if meter.entry_id.is_empty() || meter.entry_id == value.entry_id {
            meter.entry_id = new_id();
        }
        meter.values.insert(value.tariff, value.text.clone());
        meter.refused.insert(value.tariff, value.problem);
    }
}

/// An entry waiting for the network, kept on the device under its entry id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueuedEntry {
    /// Whose entry it is: only that person's session sends it.
    pub user_id: i64,
    pub object_id: i64,
    pub input: EntryInput,
    /// When it went into the queue (device clock, UTC seconds).
    pub queued_at: i64,
}

/// A refused value on its way back to the field it came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReturnedValue {
    pub object_id: i64,
    pub meter_id: i64,
    pub entry_id: String,
    pub tariff: u8,
    pub text: String,
    pub problem: EntryProblem,
}

/// What one answer of the server means for the queue.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Settlement {
    /// Entry ids that leave the queue: the server has decided on them.
    pub done: Vec<String>,
    /// Refused values, for their fields.
    pub returned: Vec<ReturnedValue>,
    pub stored: usize,
    pub duplicates: usize,
    /// Stored but flagged for a dispatcher's check (went down, implausible jump).
    pub flagged: usize,
}

/// Matches the server's results to the queued entries sent. An entry the answer does not
/// mention stays queued and goes again (its id makes the repeat harmless).
pub fn settle(sent: &[QueuedEntry], results: &[EntryResult]) -> Settlement {
    let mut s = Settlement::default();
    for r in results {
        let Some(q) = sent.iter().find(|q| q.input.entry_id == r.entry_id) else {
            continue;
        };
        s.done.push(r.entry_id.clone());
        if r.duplicate {
            s.duplicates += 1;
        } else if r.stored {
            s.stored += 1;
            if r.flags != 0 {
                s.flagged += 1;
            }
        }
        for refused in &r.refused {
            let text = q
                .input
                .values
                .iter()
                .find(|v| v.tariff == refused.tariff)
                .map(|v| v.text.clone())
                .unwrap_or_default();
            s.returned.push(ReturnedValue {
                object_id: q.object_id,
                meter_id: q.input.meter_id,
                entry_id: r.entry_id.clone(),
                tariff: refused.tariff,
                text,
                problem: refused.problem,
            });
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::entry::RefusedValue;

    fn id(s: &str) -> impl FnOnce() -> String + '_ {
        move || s.to_string()
    }

    #[test]
    fn a_typed_value_is_kept_with_an_entry_id_made_once_per_meter() {
        let mut d = Draft::default();
        d.set(7, 1, "123", 100, id("a"));
        d.set(7, 2, "45", 110, id("b"));
        assert_eq!(d.meters[&7].entry_id, "a", "one id for the meter's values");
        assert_eq!(d.value(7, 2), "45");
        assert_eq!(d.meters[&7].typed_at, 110);
        assert_eq!(d.filled(), 2);
        d.set(7, 1, "", 120, id("c"));
        d.set(7, 2, " ", 120, id("c"));
        assert!(
            d.meters.is_empty(),
            "a meter with nothing typed leaves the draft"
        );
    }

    #[test]
    fn a_send_carries_every_meter_with_a_value_and_then_clears_them() {
        let mut d = Draft::default();
        d.set(1, 0, "10,5", 100, id("e1"));
        d.set(2, 1, "7", 100, id("e2"));
        let entries = d.entries();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].entry_id, "e1");
        assert_eq!(entries[0].values[0].text, "10,5");
        assert_eq!(entries[1].values[0].tariff, 1);
        assert_eq!(entries[1].typed_at, Some(100));
        d.clear_sent();
        assert!(d.meters.is_empty());
        assert!(d.entries().is_empty());
    }

    fn queued(entry: &str, meter: i64, values: &[(u8, &str)]) -> QueuedEntry {
        QueuedEntry {
            user_id: 5,
            object_id: 3,
            input: EntryInput {
                entry_id: entry.into(),
                meter_id: meter,
                values: values
                    .iter()
                    .map(|(t, v)| TypedValue {
                        tariff: *t,
                        text: v.to_string(),
                    })
                    .collect(),
                typed_at: Some(100),
            },
            queued_at: 100,
        }
    }

    fn result(
        entry: &str,
        stored: bool,
        duplicate: bool,
        flags: i64,
        refused: &[(u8, EntryProblem)],
    ) -> EntryResult {
        EntryResult {
            entry_id: entry.into(),
            stored,
            duplicate,
            flags,
            refused: refused
                .iter()
                .map(|(t, p)| RefusedValue {
                    tariff: *t,
                    problem: *p,
                })
                .collect(),
        }
    }

    #[test]
    fn a_refused_value_goes_back_to_its_field_and_the_rest_leave_the_queue() {
        let sent = vec![
            queued("a", 1, &[(1, "100"), (2, "1234567")]),
            queued("b", 2, &[(0, "5")]),
            queued("c", 3, &[(0, "6")]),
        ];
        let too_many = EntryProblem::TooManyIntegerDigits { max: 5 };
        let results = vec![
            result("a", true, false, 0, &[(2, too_many)]),
            result("b", false, true, 0, &[]),
            // "c" is not in the answer: it stays queued
        ];
        let s = settle(&sent, &results);
        assert_eq!(s.done, vec!["a".to_string(), "b".to_string()]);
        assert_eq!((s.stored, s.duplicates, s.flagged), (1, 1, 0));
        assert_eq!(s.returned.len(), 1);
        assert_eq!(s.returned[0].text, "1234567");
        assert_eq!(s.returned[0].tariff, 2);

        let mut d = Draft::default();
        d.restore(&s.returned[0], id("a2"));
        assert_eq!(d.value(1, 2), "1234567");
        assert_eq!(d.refusal(1, 2), Some(too_many));
        assert_eq!(
            d.meters[&1].entry_id, "a2",
            "a new id: «a» already names the stored T1"
        );
        d.set(1, 2, "12345", 200, id("x"));
        assert_eq!(d.refusal(1, 2), None, "typing again ends the refusal");
    }

    #[test]
    fn a_value_typed_since_the_send_is_not_overwritten_by_a_refusal() {
        let mut d = Draft::default();
        d.set(1, 0, "99", 300, id("new"));
        let back = ReturnedValue {
            object_id: 3,
            meter_id: 1,
            entry_id: "old".into(),
            tariff: 0,
            text: "abc".into(),
            problem: EntryProblem::NotANumber,
        };
        d.restore(&back, id("x"));
        assert_eq!(d.value(1, 0), "99");
        assert_eq!(d.meters[&1].entry_id, "new");
    }

    #[test]
    fn flagged_readings_are_counted_for_the_person_who_typed_them() {
        let sent = vec![queued("a", 1, &[(0, "5")])];
        let s = settle(&sent, &[result("a", true, false, 3, &[])]);
        assert_eq!((s.stored, s.flagged), (1, 1));
    }

    #[test]
    fn buildings_are_found_by_street_and_house_number() {
        let b = FieldBuilding {
            id: 1,
            name: "ЖК «Огни», корпус 1".into(),
            address: "ул. Мосфильмовская, д. 98 корп. 1".into(),
            premises: 10,
            meters: 30,
        };
        assert!(b.matches("мосфильмовская 98"));
        assert!(b.matches("Огни"));
        assert!(b.matches(""));
        assert!(!b.matches("профсоюзная 98"));
    }
}
