//! «Помещения дома» (issue 22, point 4) on both databases: a range of flats laid out over
//! entrances and floors, all or none, the same range twice adding nothing; a pharmacy by its
//! name; an edit journaled with what it changed; a premise with an account is kept, an
//! empty one deleted; a reader and company B change nothing of company A's building.

use crate::common;

use app::errors::{AppError, Problem};
use app::i18n::Msg;
use app::models::premises::{PremiseForm, PremisesPage, RangeAdded, RangeForm};
use app::models::Role;
use app::storage::{audit, premise};

async fn page(w: &common::World, object: i64, cookie: &str) -> Result<PremisesPage, AppError> {
    let (_, text, _) = common::call(&w.app, "building_premises", &format!("object={object}"), Some(cookie)).await;
    serde_json::from_str(&text).map_err(|_| common::error_of(&text).unwrap_or_else(|| panic!("{text}")))
}

async fn call(w: &common::World, endpoint: &str, body: String, cookie: &str) -> Result<String, AppError> {
    let (status, text, _) = common::call(&w.app, endpoint, &body, Some(cookie)).await;
    if status.is_success() {
        Ok(text)
    } else {
        Err(common::error_of(&text).unwrap_or_else(|| panic!("{status} {text}")))
    }
}

async fn range(w: &common::World, object: i64, f: &RangeForm, cookie: &str) -> Result<RangeAdded, AppError> {
    let body = format!("object={object}&{}", common::nested_form("form", f, None));
    call(w, "add_premise_range", body, cookie).await.map(|t| serde_json::from_str(&t).unwrap())
}

async fn save(w: &common::World, object: i64, id: Option<i64>, f: &PremiseForm, cookie: &str) -> Result<i64, AppError> {
    let body = format!("object={object}&{}", common::nested_form("form", f, id));
    call(w, "save_premise", body, cookie).await.map(|t| t.trim().parse().unwrap())
}

fn flats(from: &str, to: &str) -> RangeForm {
    RangeForm { from: from.into(), to: to.into(), per_entrance: "40".into(), floors: "10".into(), first_entrance: String::new() }
}

both_backends!(a_range_of_flats_is_laid_out_once_and_a_pharmacy_is_added_by_name, |w| {
    let cookie = w.cookie(Role::Dispatcher);
    let o = w.a.object_id;
    // the world's building already has flat 1 (with an account): it stays as it was
    assert_eq!(range(w, o, &flats("1", "120"), cookie).await, Ok(RangeAdded { added: 119, existing: 1 }));
    assert_eq!(range(w, o, &flats("1", "120"), cookie).await, Ok(RangeAdded { added: 0, existing: 120 }), "the same range twice adds nothing");
    let p = page(w, o, cookie).await.unwrap();
    assert_eq!(p.rows.len(), 120);
    let flat = |n: &str| p.rows.iter().find(|r| r.premise.number == n).unwrap().premise.clone();
    assert_eq!((flat("41").entrance, flat("41").floor), (Some(2), Some(1)));
    assert_eq!((flat("120").entrance, flat("120").floor), (Some(3), Some(10)));
    assert_eq!(p.rows[0].accounts, vec![common::ACCOUNT_A.to_string()], "flat 1 keeps its account, and comes first");
    assert_eq!(p.rows[1].premise.number, "2", "flats as people count them");

    // a bad range writes nothing
    assert_eq!(range(w, o, &flats("121", "100"), cookie).await, Err(AppError::invalid(Msg::PrTo, Problem::OutOfBounds)));
    assert_eq!(range(w, o, &RangeForm { per_entrance: "сорок".into(), ..flats("121", "130") }, cookie).await, Err(AppError::invalid(Msg::PrPerEntrance, Problem::BadFormat)));
    assert_eq!(premise::list(&w.db, w.a.company_id, o).await.unwrap().len(), 120);

    let pharmacy = PremiseForm { number: "Аптека".into(), kind: "non_residential".into(), area: "54,3".into(), floor: "1".into(), ..Default::default() };
    let id = save(w, o, None, &pharmacy, cookie).await.unwrap();
    assert_eq!(save(w, o, None, &PremiseForm { number: "аптека".into(), ..pharmacy.clone() }, cookie).await, Err(AppError::invalid(Msg::PrNumber, Problem::AlreadyExists)));
    let p = page(w, o, cookie).await.unwrap();
    assert!(p.summary(app::i18n::Lang::Ru).starts_with("Помещений: 121 (квартир 120, нежилых 1), площадь 54,3 м²"), "{}", p.summary(app::i18n::Lang::Ru));

    let edited = PremiseForm { area: "60".into(), residents: "0".into(), number: "Не меняется".into(), ..pharmacy };
    assert_eq!(save(w, o, Some(id), &edited, cookie).await, Ok(id));
    let stored = premise::get(&w.db, w.a.company_id, id).await.unwrap();
    assert_eq!((stored.number.as_str(), stored.area.as_str()), ("Аптека", "60"), "the number stays: accounts know it");
    let log: Vec<(String, String)> = audit::list(&w.db, w.a.company_id, 20).await.unwrap().into_iter().map(|e| (e.action, e.details)).collect();
    assert!(log.iter().any(|(a, d)| a == "premise.range" && d.contains("добавлено 119, уже были 1")), "{log:?}");
    assert!(log.iter().any(|(a, d)| a == "premise.edit" && d.ends_with("«Аптека»: площадь: 54.3 → 60")), "{log:?}");
});

both_backends!(a_premise_with_an_account_stays_an_empty_one_goes, |w| {
    let cookie = w.cookie(Role::Dispatcher);
    let o = w.a.object_id;
    range(w, o, &flats("1", "2"), cookie).await.unwrap();
    let two = premise::list(&w.db, w.a.company_id, o).await.unwrap().into_iter().find(|p| p.number == "2").unwrap().id;
    assert_eq!(call(w, "delete_premise", format!("object={o}&id={}", w.a.premise_id), cookie).await, Err(AppError::invalid(Msg::PrThis, Problem::HasDependents)));
    assert!(call(w, "delete_premise", format!("object={o}&id={two}"), cookie).await.is_ok());
    assert_eq!(premise::list(&w.db, w.a.company_id, o).await.unwrap().len(), 1);
    assert!(audit::list(&w.db, w.a.company_id, 20).await.unwrap().iter().any(|e| e.action == "premise.delete" && e.details.ends_with("«2»")));
});

both_backends!(a_reader_and_company_b_change_no_premise_of_company_a, |w| {
    let o = w.a.object_id;
    let reader = w.cookie(Role::Reader);
    assert!(!page(w, o, reader).await.unwrap().editable);
    assert_eq!(range(w, o, &flats("1", "5"), reader).await, Err(AppError::Forbidden));
    let b = w.b_dispatcher.as_str();
    assert_eq!(page(w, o, b).await, Err(AppError::NotFound));
    assert_eq!(range(w, o, &flats("1", "5"), b).await, Err(AppError::NotFound));
    assert_eq!(call(w, "delete_premise", format!("object={o}&id={}", w.a.premise_id), b).await, Err(AppError::NotFound));
    // B's building with A's premise: not B's premise
    assert_eq!(call(w, "delete_premise", format!("object={}&id={}", w.b.object_id, w.a.premise_id), b).await, Err(AppError::NotFound));
    assert_eq!(premise::list(&w.db, w.a.company_id, o).await.unwrap().len(), 1);
});
