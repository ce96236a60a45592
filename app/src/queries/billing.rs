//! The monthly billing export (issue 28): every flat's meter of the company read at its
//! billing period's end, matched to its personal account, checked, and written in the
//! receiver's template; what cannot be sent stays out of the file and in the protocol with
//! its reason. A run is made once per period and template; a re-run is asked for on purpose
//! and says what changed against the run it repeats.

use std::collections::HashMap;

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;

use super::period::{self, Terms};
use super::readings_table::zone;
use crate::auth::caller::Caller;
use crate::consumption::calendar;
use crate::errors::AppError;
use crate::models::billing::{BillingPage, ExportLine, ExportRun, Protocol, Reason, RunStatus, Schedule, Template};
use crate::models::period::Basis;
use crate::models::{format, MeterState, Placement, Resource};
use crate::storage::billing_export::{self, Run, StoredLine};
use crate::storage::{account, channel, meter, object, premise, reading, Db};

/// An automatic meter silent this long before its period's end is not sent (its last value
/// is not the period's).
const SILENT_DAYS: i64 = 10;

/// Runs of a company are made one at a time: two clicks at once make one run, and the
/// second is told it exists.
static RUNNING: std::sync::LazyLock<std::sync::Mutex<HashMap<i64, std::sync::Arc<tokio::sync::Mutex<()>>>>> =
    std::sync::LazyLock::new(Default::default);

/// Who started an automatic run, as its list shows.
pub const AUTOMATIC: &str = "автоматически";

/// A person's run of the export: [`run`] under their name.
pub async fn run_by(db: &Db, caller: &Caller, period: NaiveDate, template: Template, again: bool) -> Result<Run, AppError> {
    let who = if caller.full_name.is_empty() { &caller.login } else { &caller.full_name };
    run(db, caller.company_id, who, period, template, again).await
}

/// Makes the company's export of `period` in `template`: refused (409) when one was made and
/// `again` is not asked; a fault while making it ends the run as failed, with the fault in
/// its protocol. Returns the run.
pub async fn run(db: &Db, company_id: i64, who: &str, period: NaiveDate, template: Template, again: bool) -> Result<Run, AppError> {
    let period = calendar::first_of_month(period);
    let turn = RUNNING.lock().expect("not poisoned").entry(company_id).or_default().clone();
    let _turn = turn.lock().await;
    let previous = billing_export::latest_made(db, company_id, period, template).await?;
    if previous.is_some() && !again {
        return Err(AppError::AlreadyExported);
    }
    let mut run = billing_export::start(db, company_id, period, template, who, previous.as_ref().map(|p| p.id), crate::storage::now()).await?;
    let made = async {
        let mut lines = lines(db, company_id, period).await?;
        if let Some(p) = &previous {
            run.changed = compare(&mut lines, &billing_export::lines(db, company_id, p.id).await?);
        }
        let file = file_of(&lines, period, template)?;
        Ok::<_, AppError>((lines, file))
    }
    .await;
    match made {
        Ok((lines, file)) => {
            run.sent = lines.iter().filter(|l| l.line.sent).count() as i64;
            run.not_sent = lines.len() as i64 - run.sent;
            run.status = if run.not_sent == 0 { RunStatus::Success } else { RunStatus::WithErrors };
            run.file_name = format!("uchet-{}-{}.{}", template.as_str(), period.format("%Y-%m"), template.extension());
            billing_export::finish(db, &run, &lines, &file, crate::storage::now()).await?;
        }
        Err(e) => {
            tracing::error!(error = %e, run = run.id, "billing export failed");
            billing_export::fail(db, run.id, &e.text(crate::i18n::Lang::Ru), crate::storage::now()).await?;
            run.status = RunStatus::Failed;
        }
    }
    Ok(run)
}

/// The day a company's buildings have all reached at `now`: its westernmost building's (a
/// period is over when it is over everywhere).
async fn company_today(db: &Db, company_id: i64, now: i64) -> Result<Option<NaiveDate>, AppError> {
    Ok(object::list(db, company_id).await?.iter().map(|o| calendar::local_date(zone(o), now)).min())
}

/// The period an automatic export sends next and the day it runs on: the last closed period
/// while it is not exported in the schedule's template.
async fn next_due(db: &Db, company_id: i64, s: Schedule, today: NaiveDate) -> Result<Option<(NaiveDate, NaiveDate)>, AppError> {
    let window = crate::storage::billing_window::get(db, company_id).await?;
    let mut p = period::period_of_query(None, window, today);
    if billing_export::latest_made(db, company_id, p, s.template).await?.is_some() {
        p = p + Months::new(1);
    }
    // a day past the window (a window changed since the schedule was set: its end)
    let day = s.day.max(window.last_day + 1).min(28);
    Ok(p.with_day(day).map(|on| (p, on)))
}

/// Runs every company's automatic export that is due at `now`: its day has come in all its
/// buildings and its period is not exported in its template yet. A run that failed is tried
/// again an hour later, not on every tick. The runs made.
pub async fn run_due(db: &Db, now: i64) -> Result<Vec<Run>, AppError> {
    let mut made = Vec::new();
    for (company_id, s) in crate::storage::billing_schedule::list(db).await? {
        let Some(today) = company_today(db, company_id, now).await? else { continue };
        let Some((p, on)) = next_due(db, company_id, s, today).await? else { continue };
        if today < on || billing_export::started_since(db, company_id, p, s.template, now - 3600).await? {
            continue;
        }
        match run(db, company_id, AUTOMATIC, p, s.template, false).await {
            Ok(r) => {
                let what = format!("№ {} {} {} ({AUTOMATIC})", r.id, p.format("%Y-%m"), s.template.as_str());
                crate::storage::audit::create(db, Some(company_id), None, "run_billing_export", &what, "").await?;
                made.push(r);
            }
            // made meanwhile by a person: nothing to do
            Err(AppError::AlreadyExported) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(made)
}

/// The file a template makes of the lines sent.
fn file_of(lines: &[StoredLine], period: NaiveDate, template: Template) -> Result<Vec<u8>, AppError> {
    let sent: Vec<&ExportLine> = lines.iter().map(|l| &l.line).filter(|l| l.sent).collect();
    let sheet = crate::exports::billing::sheet(&sent, period, template);
    match template {
        Template::GisZhkh => sheet.to_xlsx().map_err(|e| {
            tracing::error!(error = %e, "billing xlsx");
            AppError::Internal
        }),
        Template::OneC => Ok(sheet.to_csv().into_bytes()),
    }
}

/// Marks the lines that differ from the repeated run's (by meter) with what it sent;
/// returns how many differ.
fn compare(lines: &mut [StoredLine], before: &[StoredLine]) -> i64 {
    let before: HashMap<i64, &ExportLine> = before.iter().filter_map(|b| Some((b.meter_id?, &b.line))).collect();
    let mut changed = 0;
    for l in lines.iter_mut() {
        let was = l.meter_id.and_then(|id| before.get(&id));
        let differs = match was {
            None => true,
            Some(b) => b.sent != l.line.sent || b.values != l.line.values || b.taken_on != l.line.taken_on,
        };
        if differs {
            changed += 1;
            l.line.was = match was {
                None => "—".to_string(),
                Some(b) if b.sent => shown(&b.values),
                Some(_) => "не передано".to_string(),
            };
        }
    }
    changed
}

/// A reading's values as people write them: «12 345,6 / 2 000».
fn shown(values: &[Option<Decimal>; 3]) -> String {
    values.iter().flatten().map(|v| format::decimal(v.normalize())).collect::<Vec<_>>().join(" / ")
}

/// Every individual meter of the company (a chain's newest, in service) with what goes to
/// billing for `period`, building by building, flat by flat.
pub async fn lines(db: &Db, company_id: i64, period: NaiveDate) -> Result<Vec<StoredLine>, AppError> {
    let before: HashMap<i64, [Option<Decimal>; 3]> = billing_export::sent_before(db, company_id, period).await?.into_iter().collect();
    let mut out = Vec::new();
    for o in object::list(db, company_id).await? {
        out.extend(object_lines(db, &o, period, &before).await?);
    }
    Ok(out)
}

async fn object_lines(
    db: &Db,
    o: &object::Object,
    period: NaiveDate,
    before: &HashMap<i64, [Option<Decimal>; 3]>,
) -> Result<Vec<StoredLine>, AppError> {
    let company_id = o.company_id;
    let tz = zone(o);
    let terms = Terms::of(db, o).await?;
    let meters = meter::list_for_object(db, company_id, o.id).await?;
    let premises: HashMap<i64, premise::Premise> = premise::list(db, company_id, o.id).await?.into_iter().map(|p| (p.id, p)).collect();
    let accounts = account::lowest_by_premise(db, company_id, o.id).await?;
    let mut heads: Vec<&meter::Meter> = super::subscribers::heads(&meters)
        .into_iter()
        .filter(|m| m.state != MeterState::Retired)
        .filter(|m| m.placement == Placement::Individual && m.premise_id.is_some_and(|p| premises.contains_key(&p)))
        .collect();
    if heads.is_empty() {
        return Ok(Vec::new());
    }
    let flat = |m: &meter::Meter| premises.get(&m.premise_id.unwrap_or_default()).map(|p| premise::natural_key(&p.number));
    heads.sort_by_key(|m| (flat(m), Resource::ALL.iter().position(|r| *r == m.resource), m.id));

    // the period's readings: after the last period's window, before this one's end
    let from = calendar::day_start(tz, terms.window.end_of(period - Months::new(1)));
    let end = calendar::day_start(tz, terms.window.end_of(period));
    let ids: Vec<i64> = heads.iter().map(|m| m.id).collect();
    let channels: HashMap<i64, i64> = channel::main_of_meters(db, &ids).await?.into_iter().collect();
    let asked: Vec<(i64, i64)> = channels.values().map(|&ch| (ch, end)).collect();
    let latest: HashMap<i64, reading::Reading> = reading::latest_confirmed_before_each(db, company_id, &asked)
        .await?
        .into_iter()
        .map(|((ch, _), r)| (ch, r))
        .collect();
    let chs: Vec<i64> = channels.values().copied().collect();
    let waiting: HashMap<i64, i64> = reading::waiting_between(db, company_id, &chs, from, end).await?.into_iter().collect();
    let figures = period::figures(db, o, &terms, &meters, &premises, period, 1).await?;

    let mut out = Vec::new();
    for m in heads {
        let p = &premises[&m.premise_id.expect("heads have a premise")];
        let account = accounts.get(&p.id).cloned();
        let ch = channels.get(&m.id).copied();
        let r = ch.and_then(|ch| latest.get(&ch)).filter(|r| r.ts >= from);
        let figure = figures.get(&m.id).map(|f| f[0][0]).unwrap_or_default();
        let values: [Option<Decimal>; 3] = match r {
            None => [None; 3],
            Some(r) if m.tariffs <= 1 => [r.slot_value(0).map(|v| v.normalize()), None, None],
            Some(r) => std::array::from_fn(|i| r.tariffs[i].map(|v| v.normalize())),
        };
        let lower = before
            .get(&m.id)
            .is_some_and(|sent| values.iter().zip(sent).any(|(now, then)| matches!((now, then), (Some(n), Some(t)) if n < t)));
        let estimated = r.is_some_and(|r| r.flags & reading::flags::ESTIMATED != 0 || r.source == reading::Source::Estimate);
        let reason = if account.is_none() {
            Some(Reason::NoAccount)
        } else if m.serial.trim().is_empty() {
            Some(Reason::NoSerial)
        } else if ch.and_then(|ch| waiting.get(&ch)).is_some_and(|w| r.is_none_or(|r| *w > r.ts)) {
            Some(Reason::Waiting)
        } else if r.is_none() {
            Some(if m.communicator_id.is_some() { Reason::Silent } else { Reason::NoReading })
        } else if m.communicator_id.is_some() && r.is_some_and(|r| r.ts < end - SILENT_DAYS * 86_400) {
            Some(Reason::Silent)
        } else if estimated {
            Some(Reason::Estimated)
        } else if lower {
            Some(Reason::Lower)
        } else {
            None
        };
        out.push(StoredLine {
            meter_id: Some(m.id),
            line: ExportLine {
                object: if o.address.is_empty() { o.name.clone() } else { o.address.clone() },
                flat: p.number.clone(),
                account: account.unwrap_or_default(),
                serial: m.serial.clone(),
                resource: m.resource,
                taken_on: r.map(|r| calendar::local_date(tz, r.ts)),
                values,
                volume: figure.amount.known().map(|v| v.normalize()),
                basis: if figure.amount.known().is_some() { figure.basis } else { Basis::Measured },
                sent: reason.is_none(),
                reason,
                was: String::new(),
            },
        });
    }
    Ok(out)
}

/// Times of runs are the company's: Moscow's until companies get a zone of their own.
const TZ: chrono_tz::Tz = chrono_tz::Europe::Moscow;

/// A stored run as its list and protocol show it.
pub fn view_of(r: &Run) -> ExportRun {
    let at = |ts: i64| {
        chrono::DateTime::from_timestamp(ts, 0)
            .map(|t| format::date_time(t.with_timezone(&TZ).naive_local()))
            .unwrap_or_default()
    };
    ExportRun {
        id: r.id,
        period: r.period,
        template: r.template,
        started: at(r.started_at),
        finished: r.finished_at.map(at).unwrap_or_default(),
        seconds: r.finished_at.map(|f| (f - r.started_at).max(0)),
        status: r.status,
        sent: r.sent,
        not_sent: r.not_sent,
        changed: r.changed,
        started_by: r.started_by.clone(),
        again_of: r.again_of,
        file_name: r.file_name.clone(),
    }
}

/// «Выгрузка в биллинг»: the company's runs, newest first, and the period the form offers.
pub async fn page(db: &Db, caller: &Caller) -> Result<BillingPage, AppError> {
    let runs = billing_export::list(db, caller.company_id, 200).await?;
    let window = crate::storage::billing_window::get(db, caller.company_id).await?;
    let now = crate::storage::now();
    let today = company_today(db, caller.company_id, now).await?.unwrap_or_else(|| calendar::local_date(TZ, now));
    let schedule = crate::storage::billing_schedule::get(db, caller.company_id).await?;
    let next_run = match schedule {
        Some(s) => next_due(db, caller.company_id, s, today).await?.map(|(_, on)| on.max(today)),
        None => None,
    };
    Ok(BillingPage {
        runs: runs.iter().map(view_of).collect(),
        period: period::period_of_query(None, window, today),
        may_run: caller.role.allows(crate::models::Permission::EditData),
        schedule,
        window_last_day: window.last_day,
        next_run,
    })
}

/// One run with its protocol.
pub async fn protocol(db: &Db, caller: &Caller, id: i64) -> Result<Protocol, AppError> {
    let run = billing_export::get(db, caller.company_id, id).await?;
    let lines = billing_export::lines(db, caller.company_id, id).await?.into_iter().map(|l| l.line).collect();
    Ok(Protocol {
        fault: run.fault.clone(),
        run: view_of(&run),
        lines,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use crate::models::Role;
    use crate::storage::reading::{flags, Period};
    use crate::storage::testing::fixtures;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn typed(company_id: i64, channel_id: i64, on: NaiveDate, value: &str, flag: i64) -> reading::Reading {
        let ts = calendar::day_start(chrono_tz::Europe::Moscow, on) + 12 * 3600;
        let mut r = fixtures::polled(company_id, channel_id, Period::Instant, ts, d(value));
        r.source = reading::Source::FieldStaff;
        r.flags = flag;
        r
    }

    fn caller(company_id: i64) -> Caller {
        Caller {
            user_id: 1,
            login: "dispatcher".into(),
            full_name: "Иванова А. П.".into(),
            company_id,
            role: Role::Dispatcher,
            token_hash: String::new(),
            ip: String::new(),
            must_change_password: false,
        }
    }

    /// Flat 1's meter of the fixture, plus in flats 2–5: a meter read and then lowered, one
    /// silent, one waiting, one in a flat without an account, one without a serial.
    struct World {
        b: fixtures::Building,
        meters: HashMap<&'static str, (i64, i64)>,
    }

    async fn world(db: &Db) -> World {
        use crate::models::capacity::DigitCapacity;
        let b = fixtures::building(db).await;
        let o = object::get(db, b.company_id, b.object_id).await.unwrap();
        let mut meters = HashMap::from([("read", (b.meter_id, b.channel_id))]);
        account::create(db, &account::Account { id: 0, company_id: b.company_id, premise_id: b.premise_id, number: "101".into(), owner_name: String::new() })
            .await
            .unwrap();
        let com = crate::storage::communicator::create(
            db,
            &crate::storage::communicator::Communicator { company_id: b.company_id, object_id: Some(o.id), name: "УСПД".into(), line: "tcp".into(), ..Default::default() },
        )
        .await
        .unwrap();
        for (name, flat, serial, with_account, automatic) in [
            ("lowered", "2", "SN-2", true, false),
            ("silent", "3", "SN-3", true, true),
            ("waiting", "4", "SN-4", true, false),
            ("no_account", "5", "SN-5", false, false),
            ("no_serial", "6", "", true, false),
        ] {
            let p = premise::Premise { company_id: b.company_id, object_id: o.id, number: flat.into(), residents: 1, ..Default::default() };
            let p = premise::create(db, &p).await.unwrap();
            if with_account {
                account::create(db, &account::Account { id: 0, company_id: b.company_id, premise_id: p.id, number: format!("10{flat}"), owner_name: String::new() })
                    .await
                    .unwrap();
            }
            let mut m = meter::Meter::new(b.company_id, o.id, Resource::ColdWater, "ВСКМ 90", serial, DigitCapacity::new(5, 3).unwrap());
            m.premise_id = Some(p.id);
            m.placement = Placement::Individual;
            if automatic {
                m.communicator_id = Some(com.id);
            }
            let m = meter::create(db, &m).await.unwrap();
            let ch = fixtures::main_channel(db, &m).await;
            meters.insert(name, (m.id, ch));
        }
        World { b, meters }
    }

    fn line<'a>(lines: &'a [StoredLine], w: &World, name: &str) -> &'a ExportLine {
        &lines.iter().find(|l| l.meter_id == Some(w.meters[name].0)).unwrap().line
    }

    db_test!(the_protocol_says_why_each_unsent_meter_was_not_sent_and_a_rerun_says_what_changed, |db| {
        let w = world(&db).await;
        let c = w.b.company_id;
        let ch = |n: &str| w.meters[n].1;
        // October: every meter but the silent one read on the 20th, and exported
        let mut october = vec![];
        for n in ["read", "lowered", "waiting", "no_account", "no_serial"] {
            october.push(typed(c, ch(n), day(2026, 10, 20), "100", 0));
        }
        october.push(typed(c, ch("silent"), day(2026, 10, 20), "50", 0));
        reading::insert_many(&db, &october).await.unwrap();
        let first = run_by(&db, &caller(c), day(2026, 10, 1), Template::OneC, false).await.unwrap();
        assert_eq!(first.status, RunStatus::WithErrors);

        // November: «read» read again; «lowered» typed lower (confirmed); «waiting» waits for
        // a dispatcher; «silent» polled last on the 10th, fifteen days before the period's end
        reading::insert_many(
            &db,
            &[
                typed(c, ch("read"), day(2026, 11, 19), "112.5", 0),
                typed(c, ch("lowered"), day(2026, 11, 19), "90", 0),
                typed(c, ch("waiting"), day(2026, 11, 21), "130", flags::NEEDS_CONFIRMATION),
                typed(c, ch("silent"), day(2026, 11, 10), "60", 0),
                typed(c, ch("no_account"), day(2026, 11, 20), "110", 0),
                typed(c, ch("no_serial"), day(2026, 11, 20), "110", 0),
            ],
        )
        .await
        .unwrap();
        let november = run_by(&db, &caller(c), day(2026, 11, 1), Template::GisZhkh, false).await.unwrap();
        assert_eq!((november.status, november.sent, november.not_sent), (RunStatus::WithErrors, 1, 5));
        let lines = billing_export::lines(&db, c, november.id).await.unwrap();
        let read = line(&lines, &w, "read");
        assert!(read.sent);
        assert_eq!(read.values, [Some(d("112.5")), None, None]);
        assert_eq!(read.taken_on, Some(day(2026, 11, 19)));
        assert_eq!(read.volume, Some(d("12.5")));
        assert_eq!(read.account, "101");
        for (name, reason) in [
            ("lowered", Reason::Lower),
            ("silent", Reason::Silent),
            ("waiting", Reason::Waiting),
            ("no_account", Reason::NoAccount),
            ("no_serial", Reason::NoSerial),
        ] {
            let l = line(&lines, &w, name);
            assert_eq!((l.sent, l.reason), (false, Some(reason)), "{name}");
        }
        // the file holds the sent meter only, exactly as stored
        let file = billing_export::content(&db, c, november.id).await.unwrap();
        assert_eq!(&file[..2], b"PK");

        // the same period again is refused unless asked for on purpose
        assert_eq!(run_by(&db, &caller(c), day(2026, 11, 1), Template::GisZhkh, false).await.unwrap_err(), AppError::AlreadyExported);
        let same = run_by(&db, &caller(c), day(2026, 11, 1), Template::GisZhkh, true).await.unwrap();
        assert_eq!((same.changed, same.sent, same.again_of), (0, 1, Some(november.id)));

        // the waiting reading confirmed: a re-run sends it and says what it replaced
        let ts = calendar::day_start(chrono_tz::Europe::Moscow, day(2026, 11, 21)) + 12 * 3600;
        assert!(reading::review(&db, c, ch("waiting"), Period::Instant, ts, true).await.unwrap());
        let again = run_by(&db, &caller(c), day(2026, 11, 1), Template::GisZhkh, true).await.unwrap();
        assert_eq!((again.changed, again.sent), (1, 2));
        let lines = billing_export::lines(&db, c, again.id).await.unwrap();
        let waited = line(&lines, &w, "waiting");
        assert!(waited.sent);
        assert_eq!(waited.values[0], Some(d("130")));
        assert_eq!(waited.was, "не передано");
    });

    db_test!(the_automatic_export_runs_on_its_day_in_the_buildings_time_and_once, |db| {
        let w = world(&db).await;
        let c = w.b.company_id;
        sqlx::query("UPDATE objects SET time_zone = 'Asia/Novosibirsk' WHERE id = $1").bind(w.b.object_id).execute(db.pool()).await.unwrap();
        crate::storage::billing_schedule::set(&db, c, Some(Schedule { template: Template::OneC, day: 26 })).await.unwrap();
        let utc = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().timestamp();
        // October went out by hand: a period not exported whose day has passed would be
        // caught up at once
        run_by(&db, &caller(c), day(2026, 10, 1), Template::OneC, false).await.unwrap();
        // 25.11 23:00 in Novosibirsk (UTC+7): not yet
        assert!(run_due(&db, utc("2026-11-25T16:00:00Z")).await.unwrap().is_empty());
        // 26.11 00:30 there, though still the 25th in Moscow: the day has come
        let made = run_due(&db, utc("2026-11-25T17:30:00Z")).await.unwrap();
        assert_eq!(made.len(), 1);
        assert_eq!((made[0].period, made[0].template, made[0].started_by.as_str()), (day(2026, 11, 1), Template::OneC, AUTOMATIC));
        assert_ne!(made[0].status, RunStatus::Failed);
        // once: the period is exported
        assert!(run_due(&db, utc("2026-11-27T10:00:00Z")).await.unwrap().is_empty());
        // a company without a schedule has none
        crate::storage::billing_schedule::set(&db, c, None).await.unwrap();
        assert!(run_due(&db, utc("2026-12-26T10:00:00Z")).await.unwrap().is_empty());
    });

    db_test!(a_company_sees_nothing_of_another_companys_runs, |db| {
        let w = world(&db).await;
        let made = run_by(&db, &caller(w.b.company_id), day(2026, 11, 1), Template::OneC, false).await.unwrap();
        let other = fixtures::building(&db).await;
        assert!(billing_export::get(&db, other.company_id, made.id).await.is_err());
        assert!(billing_export::content(&db, other.company_id, made.id).await.is_err());
        assert!(billing_export::lines(&db, other.company_id, made.id).await.unwrap().is_empty());
    });
}
