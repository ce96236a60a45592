//! «Импорт из файлов» (issue 22): a company brings its buildings, premises, accounts,
//! owners, meters and readings history from its billing system's files. The file is checked whole first and its report
//! shown — counts to add and change, every bad row with its column and reason; only then,
//! and only for a clean file, «Записать» writes it. Leaving the page writes nothing.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::export::csv_href;
use crate::functions::objects::list_objects;
use crate::i18n::{use_i18n, Lang, Msg};
use crate::models::format;
use crate::models::import::{ImportKind, ImportReport};
use crate::resource::resource;

fn entity_label(entity: &str) -> Msg {
    match entity {
        "building" => Msg::EntBuilding,
        "premise" => Msg::EntPremise,
        "account" => Msg::EntAccount,
        "meter" => Msg::EntMeter,
        "reading" => Msg::EntReading,
        _ => Msg::EntOwner,
    }
}

fn issues_csv(r: &ImportReport, lang: Lang) -> Vec<Vec<String>> {
    let mut rows = vec![[Msg::IssueRow, Msg::IssueColumn, Msg::IssueValue, Msg::IssueReason]
        .iter()
        .map(|m| m.text(lang).to_string())
        .collect::<Vec<_>>()];
    rows.extend(
        r.issues
            .iter()
            .map(|i| vec![i.row.to_string(), i.column.clone(), i.value.clone(), i.reason.clone()]),
    );
    rows
}

/// Where a file of `kind` goes, checked only or written (sent from the browser only).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn upload_url(kind: ImportKind, object: Option<i64>, write: bool, name: &str) -> String {
    let mut url = format!(
        "/import?kind={}&write={write}&name={}",
        kind.as_str(),
        format::url_encode(name)
    );
    if let Some(o) = object {
        url.push_str(&format!("&object={o}"));
    }
    url
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let kind = RwSignal::new(ImportKind::Premises);
    let object = RwSignal::new(None::<i64>);
    let buildings = resource(|| (), |_| list_objects(None));
    let report = RwSignal::new(None::<ImportReport>);
    let failed = RwSignal::new(None::<String>);
    let busy = RwSignal::new(None::<Msg>);
    let file_name = RwSignal::new(String::new());
    // the picked file lives in the browser only
    #[cfg(feature = "hydrate")]
    let picked = StoredValue::new_local(None::<web_sys::File>);
    let send = move |write: bool| {
        #[cfg(feature = "hydrate")]
        {
            let Some(file) = picked.get_value() else {
                return;
            };
            let url = upload_url(kind.get_untracked(), object.get_untracked(), write, &file.name());
            busy.set(Some(if write { Msg::ImportWriting } else { Msg::ImportChecking }));
            failed.set(None);
            leptos::task::spawn_local(async move {
                match crate::components::attach::upload::post(&url, file).await {
                    Ok(text) => match serde_json::from_str::<ImportReport>(&text) {
                        Ok(r) => report.set(Some(r)),
                        Err(e) => failed.set(Some(e.to_string())),
                    },
                    Err(e) if e == "network" => failed.set(Some(i18n.t(Msg::ErrNetwork).to_string())),
                    Err(e) => failed.set(Some(e)),
                }
                busy.set(None);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = write;
    };
    let on_pick = move |ev: leptos::ev::Event| {
        report.set(None);
        failed.set(None);
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let file = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|i| i.files())
                .and_then(|f| f.get(0));
            file_name.set(file.as_ref().map(|f| f.name()).unwrap_or_default());
            picked.set_value(file);
            if file_name.get_untracked().is_empty() {
                return;
            }
            send(false);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let cancel = move |_| {
        report.set(None);
        failed.set(None);
        file_name.set(String::new());
        #[cfg(feature = "hydrate")]
        picked.set_value(None);
    };
    view! {
        <Title text=i18n.tr(Msg::MenuImport)/>
        <section class="page">
            <h1>{i18n.tr(Msg::MenuImport)}</h1>
            <p class="muted">{i18n.tr(Msg::ImportLead)}</p>
            <div class="panel form-grid import-form" data-testid="import-form">
                <label>
                    <span>{i18n.tr(Msg::ImportWhat)}</span>
                    <select data-testid="import-kind" on:change=move |ev| {
                        kind.set(ImportKind::parse(&event_target_value(&ev)).unwrap_or(ImportKind::Premises));
                        report.set(None);
                    }>
                        <option value="premises" selected=true>{i18n.tr(Msg::ImportKindPremises)}</option>
                        <option value="buildings">{i18n.tr(Msg::ImportKindBuildings)}</option>
                        <option value="meters">{i18n.tr(Msg::ImportKindMeters)}</option>
                        <option value="readings">{i18n.tr(Msg::ImportKindReadings)}</option>
                    </select>
                </label>
                <Show when=move || matches!(kind.get(), ImportKind::Premises | ImportKind::Meters)>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            let options = buildings
                                .await
                                .unwrap_or_default()
                                .into_iter()
                                .map(|b| view! { <option value=b.id.to_string()>{b.address}</option> })
                                .collect_view();
                            view! {
                                <label>
                                    <span>{i18n.tr(Msg::Building)}</span>
                                    <select data-testid="import-object" on:change=move |ev| {
                                        object.set(event_target_value(&ev).parse().ok());
                                        report.set(None);
                                    }>
                                        <option value="">{i18n.tr(Msg::ImportBuildingFromFile)}</option>
                                        {options}
                                    </select>
                                </label>
                            }
                        })}
                    </Suspense>
                </Show>
                <label>
                    <span>{i18n.tr(Msg::ImportFile)}</span>
                    <input type="file" data-testid="import-file" on:change=on_pick
                        accept=".xlsx,.xls,.ods,.csv,.txt,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"/>
                </label>
                <Show when=move || kind.get() == ImportKind::Readings>
                    <p class="small muted import-note">{i18n.tr(Msg::ImportReadingsNote)}</p>
                </Show>
                <p class="small">
                    <a data-testid="import-template" href=move || format!("/import/template?kind={}", kind.get().as_str())>
                        {i18n.tr(Msg::ImportTemplate)}
                    </a>
                </p>
            </div>
            {move || busy.get().map(|m| view! { <p class="loading" role="status">{i18n.tr(m)}</p> })}
            {move || failed.get().map(|e| view! { <div class="error-box" role="alert"><p>{e}</p></div> })}
            {move || report.get().map(|r| {
                let lang = i18n.lang();
                let csv = csv_href(&issues_csv(&r, lang));
                let clean = r.issues.is_empty();
                let changes = r.changes();
                let written = r.written;
                let counts = r.counts.iter().map(|c| view! {
                    <tr>
                        <td>{i18n.tr(entity_label(&c.entity))}</td>
                        <td class="num">{format::integer(c.added as i64)}</td>
                        <td class="num">{format::integer(c.updated as i64)}</td>
                        <td class="num">{format::integer(c.unchanged as i64)}</td>
                    </tr>
                }).collect_view();
                let issues = r.issues.iter().take(500).map(|i| view! {
                    <tr>
                        <td class="num">{i.row}</td>
                        <td>{i.column.clone()}</td>
                        <td>{i.value.clone()}</td>
                        <td>{i.reason.clone()}</td>
                    </tr>
                }).collect_view();
                view! {
                    <div class="panel import-report" data-testid="import-report" data-issues=r.issues.len().to_string() data-written=written.to_string()>
                        <p>{i18n.tr(Msg::ImportRows)} ": " <strong>{format::integer(r.rows as i64)}</strong> " · " {file_name.get()}</p>
                        <table class="data compact">
                            <thead><tr>
                                <th>{i18n.tr(Msg::ImportEntity)}</th>
                                <th class="num">{i18n.tr(Msg::ImportAdd)}</th>
                                <th class="num">{i18n.tr(Msg::ImportUpdate)}</th>
                                <th class="num">{i18n.tr(Msg::ImportSame)}</th>
                            </tr></thead>
                            <tbody>{counts}</tbody>
                        </table>
                        {(r.to_confirm > 0).then(|| view! {
                            <p data-testid="import-to-confirm">{i18n.tr(Msg::ImportToConfirm)} ": " <strong>{format::integer(r.to_confirm as i64)}</strong></p>
                        })}
                        {if written {
                            view! { <p class="ok" role="status" data-testid="import-written">{i18n.tr(Msg::ImportWritten)}</p> }.into_any()
                        } else if !clean {
                            view! {
                                <h2>{i18n.tr(Msg::ImportIssues)} " (" {format::integer(r.issues.len() as i64)} ")"</h2>
                                <p class="error-text" role="alert">{i18n.tr(Msg::ImportBlocked)}</p>
                                <p><a class="button small" download="import-errors.csv" href=csv>{i18n.tr(Msg::ExportCsv)}</a></p>
                                <div class="table-wrap">
                                    <table class="data" data-testid="import-issues">
                                        <thead><tr>
                                            <th class="num">{i18n.tr(Msg::IssueRow)}</th>
                                            <th>{i18n.tr(Msg::IssueColumn)}</th>
                                            <th>{i18n.tr(Msg::IssueValue)}</th>
                                            <th>{i18n.tr(Msg::IssueReason)}</th>
                                        </tr></thead>
                                        <tbody>{issues}</tbody>
                                    </table>
                                </div>
                            }.into_any()
                        } else if changes == 0 {
                            view! { <p class="ok" role="status">{i18n.tr(Msg::ImportNoChanges)}</p> }.into_any()
                        } else {
                            view! { <p class="ok" role="status">{i18n.tr(Msg::ImportClean)}</p> }.into_any()
                        }}
                        <div class="toolbar">
                            <button type="button" class="button primary" data-testid="import-write"
                                disabled=move || !clean || changes == 0 || written || busy.get().is_some()
                                on:click=move |_| send(true)>
                                {i18n.tr(Msg::ImportWrite)}
                            </button>
                            <button type="button" class="button" on:click=cancel>{i18n.tr(Msg::ImportCancel)}</button>
                        </div>
                    </div>
                }
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_name_travels_encoded_and_a_chosen_building_with_it() {
        assert_eq!(
            upload_url(ImportKind::Premises, Some(5), false, "дом 1.xlsx"),
            "/import?kind=premises&write=false&name=%D0%B4%D0%BE%D0%BC%201.xlsx&object=5"
        );
    }
}
