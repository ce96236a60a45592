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
    /// The company's billing window: the sheet says which period today's readings count for.
    #[serde(default)]
    pub window: super::period::BillingWindow,
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

/// One field of a sheet as the device keeps it, under a key of its own
/// (`{user}:field:{object}:{meter}:{tariff}`): a value typed in one tab never overwrites a
/// value typed in another tab's field, and two writes of one field keep the later (`at`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DraftField {
    pub meter_id: i64,
    /// Tariff 1–4, or 0 for a single-tariff meter.
    pub tariff: u8,
    /// As typed; never empty (an emptied field leaves the device's store).
    pub text: String,
    /// When it was typed (device clock, UTC milliseconds): the later write of a field wins.
    pub at: i64,
    /// The server's refusal of this value, until it is typed again.
    #[serde(default)]
    pub refused: Option<EntryProblem>,
}

/// What became of the value last sent from a field.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Verdict {
    /// On the device, waiting for the network.
    Waiting,
    Stored,
    /// Stored, and waits for a dispatcher's check (lower than before, or a jump).
    Flagged,
    /// The server had it already from an earlier send whose answer was lost.
    OnServer,
    Refused(EntryProblem),
}

impl Verdict {
    /// A word for tests and styles.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Waiting => "waiting",
            Verdict::Stored => "stored",
            Verdict::Flagged => "flagged",
            Verdict::OnServer => "on-server",
            Verdict::Refused(_) => "refused",
        }
    }
}

/// The value last sent from one field (`{user}:sent:{object}:{meter}:{tariff}`), so the
/// sheet shows what went, when, and the server's verdict after the field was emptied.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SentValue {
    pub meter_id: i64,
    pub tariff: u8,
    pub text: String,
    /// The entry that carried it: a later answer updates only its own send's record.
    pub entry_id: String,
    /// When it was sent (device clock, UTC milliseconds).
    pub at: i64,
    pub verdict: Verdict,
}

/// A field of a sheet: meter and tariff.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldKey {
    pub meter_id: i64,
    pub tariff: u8,
}

/// One sheet's typed values and last sends, as read from the device. The device's store is
/// the truth; this is the screen's copy of it, read again whenever another tab or an answer
/// of the server changes it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draft {
    pub fields: KeyMap<FieldKey, DraftField>,
    pub sent: KeyMap<FieldKey, SentValue>,
}

/// An entry a send puts in the queue, with the draft fields it empties: each only if it
/// still holds what was sent (typed at `at`), so a value typed meanwhile in another tab stays.
#[derive(Clone, Debug, PartialEq)]
pub struct Outgoing {
    pub input: EntryInput,
    pub fields: Vec<(FieldKey, i64)>,
}

impl Draft {
    /// The screen's copy of what the device keeps for one sheet.
    pub fn from_kept(fields: Vec<DraftField>, sent: Vec<SentValue>) -> Draft {
        let mut d = Draft::default();
        for f in fields {
            d.fields.insert(f.key(), f);
        }
        for s in sent {
            d.sent.insert(s.key(), s);
        }
        d
    }

    /// What the field of this register shows.
    pub fn value(&self, meter_id: i64, tariff: u8) -> String {
        self.fields
            .get(&FieldKey { meter_id, tariff })
            .map(|f| f.text.clone())
            .unwrap_or_default()
    }

    pub fn refusal(&self, meter_id: i64, tariff: u8) -> Option<EntryProblem> {
        self.fields.get(&FieldKey { meter_id, tariff })?.refused
    }

    pub fn last_sent(&self, meter_id: i64, tariff: u8) -> Option<&SentValue> {
        self.sent.get(&FieldKey { meter_id, tariff })
    }

    /// Keeps what was typed into one field and returns it for the device's store (`None`:
    /// the field was emptied, and leaves the store). A refusal of the field is over once it
    /// is typed again. An emptied field stays here, empty, with its time, so a read of the
    /// store that began before it was emptied does not bring the old value back.
    pub fn set(&mut self, meter_id: i64, tariff: u8, text: &str, at: i64) -> Option<DraftField> {
        let key = FieldKey { meter_id, tariff };
        let empty = text.trim().is_empty();
        let field = DraftField {
            meter_id,
            tariff,
            text: if empty { String::new() } else { text.to_string() },
            at,
            refused: None,
        };
        self.fields.insert(key, field.clone());
        (!empty).then_some(field)
    }

    /// The device's fields read again, except those this screen changed at or after
    /// `since` (its own writes may still be on their way to the store): last typing wins.
    pub fn reread(&self, mut read: Draft, since: i64) -> Draft {
        for (key, f) in self.fields.iter().filter(|(_, f)| f.at >= since) {
            read.fields.insert(*key, f.clone());
        }
        read
    }

    /// Filled fields.
    pub fn filled(&self) -> usize {
        self.fields.values().filter(|f| !f.text.is_empty()).count()
    }

    /// Fields a send would carry: filled and not refused (a refused value waits to be typed
    /// again; sending it unchanged would be refused again).
    pub fn ready(&self) -> usize {
        self.fields
            .values()
            .filter(|f| !f.text.is_empty() && f.refused.is_none())
            .count()
    }

    /// What a send carries: one entry per meter with its ready values, each under a new id
    /// (`new_id(meter)`): every send of a value has its own id, so one queued entry never
    /// replaces another, and only a resend of the same entry is the same id.
    pub fn outgoing(&self, mut new_id: impl FnMut(i64) -> String) -> Vec<Outgoing> {
        let mut out: Vec<Outgoing> = Vec::new();
        let ready = self.fields.iter().filter(|(_, f)| !f.text.is_empty() && f.refused.is_none());
        for (key, f) in ready {
            let typed_at = f.at.div_euclid(1000);
            match out.last_mut().filter(|o| o.input.meter_id == key.meter_id) {
                Some(o) => {
                    o.input.values.push(TypedValue {
                        tariff: key.tariff,
                        text: f.text.clone(),
                    });
                    o.input.typed_at = o.input.typed_at.max(Some(typed_at));
                    o.fields.push((*key, f.at));
                }
                None => out.push(Outgoing {
                    input: EntryInput {
                        entry_id: new_id(key.meter_id),
                        meter_id: key.meter_id,
                        values: vec![TypedValue {
                            tariff: key.tariff,
                            text: f.text.clone(),
                        }],
                        typed_at: Some(typed_at),
                    },
                    fields: vec![(*key, f.at)],
                }),
            }
        }
        out
    }
}

impl DraftField {
    pub fn key(&self) -> FieldKey {
        FieldKey {
            meter_id: self.meter_id,
            tariff: self.tariff,
        }
    }
}

impl SentValue {
    pub fn key(&self) -> FieldKey {
        FieldKey {
            meter_id: self.meter_id,
            tariff: self.tariff,
        }
    }

    /// The records of one send, waiting for the network.
    pub fn waiting(input: &EntryInput, at: i64) -> Vec<SentValue> {
        input
            .values
            .iter()
            .map(|v| SentValue {
                meter_id: input.meter_id,
                tariff: v.tariff,
                text: v.text.clone(),
                entry_id: input.entry_id.clone(),
                at,
                verdict: Verdict::Waiting,
            })
            .collect()
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

/// What the server said of one sent value: its sheet, field, entry and verdict. A refused
/// value goes back into its field (unless the field was typed again since).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Answered {
    pub object_id: i64,
    pub meter_id: i64,
    pub tariff: u8,
    pub entry_id: String,
    pub text: String,
    /// When the value was typed (device clock, UTC seconds).
    pub typed_at: i64,
    /// When it went into the queue (device clock, UTC seconds).
    pub sent_at: i64,
    pub verdict: Verdict,
}

impl Answered {
    pub fn key(&self) -> FieldKey {
        FieldKey {
            meter_id: self.meter_id,
            tariff: self.tariff,
        }
    }

    /// The record of the send, with the server's verdict.
    pub fn sent_value(&self) -> SentValue {
        SentValue {
            meter_id: self.meter_id,
            tariff: self.tariff,
            text: self.text.clone(),
            entry_id: self.entry_id.clone(),
            at: self.sent_at * 1000,
            verdict: self.verdict,
        }
    }

    /// The field a refused value goes back to.
    pub fn returned_field(&self) -> Option<DraftField> {
        let Verdict::Refused(problem) = self.verdict else {
            return None;
        };
        Some(DraftField {
            meter_id: self.meter_id,
            tariff: self.tariff,
            text: self.text.clone(),
            at: self.typed_at * 1000,
            refused: Some(problem),
        })
    }
}

/// What one answer of the server means for the queue.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Settlement {
    /// Entry ids that leave the queue: the server has decided on them.
    pub done: Vec<String>,
    /// Every value of those entries with its verdict.
    pub answered: Vec<Answered>,
    /// Entries stored now.
    pub stored: usize,
    /// Entries the server had already (an earlier send whose answer was lost).
    pub duplicates: usize,
    /// Stored but flagged for a dispatcher's check (went down, implausible jump).
    pub flagged: usize,
    /// Values refused (they are back in their fields).
    pub refused: usize,
}

impl Settlement {
    /// Adds another chunk's answer.
    pub fn extend(&mut self, other: Settlement) {
        self.done.extend(other.done);
        self.answered.extend(other.answered);
        self.stored += other.stored;
        self.duplicates += other.duplicates;
        self.flagged += other.flagged;
        self.refused += other.refused;
    }

    /// Everything sent is on the server (stored now or before), nothing refused.
    pub fn all_on_server(&self) -> bool {
        self.refused == 0 && self.stored + self.duplicates > 0
    }
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
        for v in &q.input.values {
            let verdict = match r.refused.iter().find(|x| x.tariff == v.tariff) {
                Some(x) => {
                    s.refused += 1;
                    Verdict::Refused(x.problem)
                }
                None if r.duplicate => Verdict::OnServer,
                None if r.flags != 0 => Verdict::Flagged,
                None => Verdict::Stored,
            };
            s.answered.push(Answered {
                object_id: q.object_id,
                meter_id: q.input.meter_id,
                tariff: v.tariff,
                entry_id: r.entry_id.clone(),
                text: v.text.clone(),
                typed_at: q.input.typed_at.unwrap_or(q.queued_at),
                sent_at: q.queued_at,
                verdict,
            });
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::entry::RefusedValue;

    fn ids() -> impl FnMut(i64) -> String {
        let mut n = 0;
        move |meter| {
            n += 1;
            format!("e{n}-{meter}")
        }
    }

    #[test]
    fn a_typed_value_is_kept_per_field_and_an_emptied_field_leaves() {
        let mut d = Draft::default();
        let kept = d.set(7, 1, "123", 100_000).unwrap();
        assert_eq!((kept.meter_id, kept.tariff, kept.at), (7, 1, 100_000));
        d.set(7, 2, "45", 110_000);
        assert_eq!(d.value(7, 2), "45");
        assert_eq!(d.filled(), 2);
        assert_eq!(d.set(7, 1, "", 120_000), None, "emptied: nothing to keep");
        assert_eq!(d.set(7, 2, " ", 120_000), None);
        assert_eq!((d.filled(), d.value(7, 1).as_str()), (0, ""));
        assert!(d.outgoing(ids()).is_empty());
    }

    #[test]
    fn a_reread_of_the_device_keeps_what_this_screen_typed_since_the_read_began() {
        let mut screen = Draft::default();
        screen.set(1, 0, "old", 1_000);
        screen.set(2, 0, "typed during the read", 5_000);
        screen.set(3, 0, "", 5_100); // emptied during the read
        let read = Draft::from_kept(
            vec![
                DraftField { meter_id: 1, tariff: 0, text: "from the other tab".into(), at: 4_000, refused: None },
                DraftField { meter_id: 3, tariff: 0, text: "still in the store".into(), at: 900, refused: None },
            ],
            vec![],
        );
        let d = screen.reread(read, 4_500);
        assert_eq!(d.value(1, 0), "from the other tab");
        assert_eq!(d.value(2, 0), "typed during the read");
        assert_eq!(d.value(3, 0), "");
        assert_eq!(d.filled(), 2);
    }

    #[test]
    fn fields_typed_in_two_tabs_both_survive_when_the_sheet_is_read_again() {
        // each tab writes only the field it typed; the sheet is the union of the device's fields
        let mut tab1 = Draft::default();
        let mut tab2 = Draft::default();
        let f13 = tab1.set(13, 0, "111", 1_000).unwrap();
        let f14 = tab2.set(14, 0, "222", 2_000).unwrap();
        let read = Draft::from_kept(vec![f13, f14], vec![]);
        assert_eq!((read.value(13, 0).as_str(), read.value(14, 0).as_str()), ("111", "222"));
    }

    #[test]
    fn a_send_carries_one_entry_per_meter_each_under_a_new_id() {
        let mut d = Draft::default();
        d.set(1, 0, "10,5", 100_000);
        d.set(2, 1, "7", 100_000);
        d.set(2, 2, "8", 105_500);
        let out = d.outgoing(ids());
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].input.entry_id, "e1-1");
        assert_eq!(out[0].input.values[0].text, "10,5");
        assert_eq!(out[1].input.entry_id, "e2-2");
        assert_eq!(out[1].input.values.len(), 2);
        assert_eq!(out[1].input.typed_at, Some(105), "the latest typing, in seconds");
        assert_eq!(
            out[1].fields,
            vec![
                (FieldKey { meter_id: 2, tariff: 1 }, 100_000),
                (FieldKey { meter_id: 2, tariff: 2 }, 105_500)
            ]
        );
        let again = d.outgoing(ids());
        assert_eq!(again[0].input.entry_id, "e1-1", "the id maker decides");
        let mut third = ids();
        third(0);
        third(0);
        assert_ne!(d.outgoing(third)[0].input.entry_id, out[0].input.entry_id);
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
    fn every_sent_value_gets_its_verdict_and_unanswered_entries_stay_queued() {
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
        assert_eq!((s.stored, s.duplicates, s.flagged, s.refused), (1, 1, 0, 1));
        let verdicts: Vec<(i64, u8, Verdict)> =
            s.answered.iter().map(|a| (a.meter_id, a.tariff, a.verdict)).collect();
        assert_eq!(
            verdicts,
            vec![
                (1, 1, Verdict::Stored),
                (1, 2, Verdict::Refused(too_many)),
                (2, 0, Verdict::OnServer)
            ]
        );
        let back = s.answered[1].returned_field().unwrap();
        assert_eq!((back.text.as_str(), back.refused, back.at), ("1234567", Some(too_many), 100_000));
        assert_eq!(s.answered[0].returned_field(), None);
        assert!(!s.all_on_server());
    }

    #[test]
    fn a_refused_value_waits_in_its_field_and_is_not_sent_again_until_retyped() {
        let too_many = EntryProblem::TooManyIntegerDigits { max: 5 };
        let mut d = Draft::from_kept(
            vec![DraftField {
                meter_id: 1,
                tariff: 1,
                text: "1234567".into(),
                at: 100_000,
                refused: Some(too_many),
            }],
            vec![],
        );
        assert_eq!(d.refusal(1, 1), Some(too_many));
        assert_eq!((d.filled(), d.ready()), (1, 0));
        assert!(d.outgoing(ids()).is_empty());
        d.set(1, 1, "12345", 200_000);
        assert_eq!(d.refusal(1, 1), None, "typing again ends the refusal");
        assert_eq!(d.outgoing(ids()).len(), 1);
    }

    #[test]
    fn a_resend_of_what_the_server_had_reads_as_all_on_the_server() {
        let sent = vec![queued("a", 1, &[(0, "5")]), queued("b", 2, &[(0, "6")])];
        let s = settle(
            &sent,
            &[result("a", false, true, 0, &[]), result("b", false, true, 0, &[])],
        );
        assert_eq!((s.stored, s.duplicates), (0, 2));
        assert!(s.all_on_server());
    }

    #[test]
    fn flagged_readings_are_counted_for_the_person_who_typed_them() {
        let sent = vec![queued("a", 1, &[(0, "5")])];
        let s = settle(&sent, &[result("a", true, false, 3, &[])]);
        assert_eq!((s.stored, s.flagged), (1, 1));
        assert_eq!(s.answered[0].verdict, Verdict::Flagged);
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
