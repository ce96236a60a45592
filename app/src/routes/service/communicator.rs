//! A communicator's card (`/service/communicators/{id}`, or `new`): its name, building and
//! kind, the connection fields of that kind (a gateway's host and port, a modem's SIM, a
//! radio's DevEUI, a port's speed and parity), the collector's timing, and the meters on the
//! line. Whoever services meters edits and removes it; others read it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::components::cell_table::{CellRow, CellTable};
use crate::components::cell_toolbar::cells_csv;
use crate::components::confirm::confirmed;
use crate::components::error_view::{ActionError, ErrorBox};
use crate::functions::communicators::{open_communicator, DeleteCommunicator, SaveCommunicator};
use crate::i18n::{use_i18n, Msg};
use crate::models::communicators::{
    CommunicatorCard, CommunicatorForm, BAUD_RATES, KINDS, LORAWAN_CLASSES, LORAWAN_VERSIONS,
};
use crate::models::cell::Cell;
use crate::models::inventory::LineKind;
use crate::resource::resource;

#[component]
pub fn CommunicatorPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let save = ServerAction::<SaveCommunicator>::new();
    let remove = ServerAction::<DeleteCommunicator>::new();
    // read again after a save that went through: the stored line, its phone and DevEUI as
    // kept; a refused save keeps what was typed
    let stored = RwSignal::new(0u32);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = save.value().get() {
            let here = params.with_untracked(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
            if here == Some(id) {
                stored.update(|n| *n += 1);
            } else {
                navigate(&format!("/service/communicators/{id}"), Default::default());
            }
        }
    });
    let back = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = remove.value().get() {
            back("/service/communicators", Default::default());
        }
    });
    let asked = Memo::new(move |_| {
        let id = params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
        let object = query.with(|q| q.get("object").and_then(|v| v.parse::<i64>().ok()));
        (id, object, stored.get())
    });
    let card = resource(move || asked.get(), |(id, object, _)| open_communicator(id, object));
    view! {
        <Title text=move || i18n.t(if asked.get().0.is_some() { Msg::CmThisLine } else { Msg::CmNew }).to_string()/>
        <section class="page communicator">
            <p><a href="/service/communicators" data-testid="communicator-back">"‹ " {i18n.tr(Msg::CmBack)}</a></p>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match card.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(c) => view! { <Card card=c save remove/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// A text input bound to one field of the form.
fn input(
    form: RwSignal<CommunicatorForm>,
    label: Msg,
    testid: &'static str,
    get: fn(&CommunicatorForm) -> &String,
    set: fn(&mut CommunicatorForm, String),
    kind: &'static str,
    hint: Option<Msg>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="field">
            <span>{i18n.tr(label)}</span>
            <input type=kind prop:value=move || form.with(|f| get(f).clone()) data-testid=testid
                inputmode=if kind == "number" { "numeric" } else { "text" }
                on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))
                placeholder=move || hint.map(|h| i18n.t(h).to_string()).unwrap_or_default()/>
        </label>
    }
}

/// A `<select>` bound to one field: (value, label) choices, the form's value selected.
fn select(
    form: RwSignal<CommunicatorForm>,
    label: Msg,
    testid: &'static str,
    get: fn(&CommunicatorForm) -> &String,
    set: fn(&mut CommunicatorForm, String),
    choices: Vec<(String, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let options = choices
        .into_iter()
        .map(|(value, text)| {
            let v = value.clone();
            view! { <option value=value selected=move || form.with(|f| *get(f) == v)>{text}</option> }
        })
        .collect_view();
    view! {
        <label class="field">
            <span>{i18n.tr(label)}</span>
            <select data-testid=testid on:change=move |ev| form.update(|f| set(f, event_target_value(&ev)))>{options}</select>
        </label>
    }
}

#[component]
fn Card(card: CommunicatorCard, save: ServerAction<SaveCommunicator>, remove: ServerAction<DeleteCommunicator>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let id = card.id;
    let form = RwSignal::new(card.form.clone());
    let kind = move || form.with(|f| LineKind::parse(&f.line));
    let is = move |k: &'static [LineKind]| move || kind().is_some_and(|x| k.contains(&x));
    let title = match id {
        Some(_) => card.form.name.clone(),
        None => Msg::CmNew.text(lang).to_string(),
    };
    let saved = move || matches!(save.value().get(), Some(Ok(_)));
    let has_meters = !card.meters.is_empty();
    let meters = meters_table(&card);
    if !card.editable {
        return view! {
            <h1>{title}</h1>
            <p class="note">{i18n.tr(Msg::CmReadOnly)}</p>
            {read_only(&card)}
            {meters}
        }
        .into_any();
    }
    let objects: Vec<(String, String)> = std::iter::once(("0".to_string(), Msg::CmSharedOption.text(lang).to_string()))
        .chain(card.objects.iter().map(|(id, name)| (id.to_string(), name.clone())))
        .collect();
    let kinds: Vec<(String, String)> = KINDS.iter().map(|k| (k.as_str().to_string(), k.label(lang).to_string())).collect();
    let bauds: Vec<(String, String)> = std::iter::once((String::new(), Msg::CmBaudDefault.text(lang).to_string()))
        .chain(BAUD_RATES.iter().map(|b| (b.to_string(), b.to_string())))
        .collect();
    let parities: Vec<(String, String)> = [("", Msg::CmParityDefault), ("none", Msg::CmParityNone), ("even", Msg::CmParityEven), ("odd", Msg::CmParityOdd)]
        .into_iter()
        .map(|(v, m)| (v.to_string(), m.text(lang).to_string()))
        .collect();
    let classes: Vec<(String, String)> = LORAWAN_CLASSES.iter().map(|c| (c.to_string(), c.to_string())).collect();
    let versions: Vec<(String, String)> =
        std::iter::once((String::new(), "—".to_string())).chain(LORAWAN_VERSIONS.iter().map(|v| (v.to_string(), v.to_string()))).collect();
    let submit = move |_| {
        save.dispatch(SaveCommunicator { id, form: form.get_untracked() });
    };
    let delete = move |_| {
        if let Some(id) = id {
            if confirmed(Msg::CmDeleteAsk.text(i18n.lang())) {
                remove.dispatch(DeleteCommunicator { id });
            }
        }
    };
    let main_set = view! {
            <fieldset class="panel form-grid">
                <legend>{i18n.tr(Msg::CmThisLine)}</legend>
                {input(form, Msg::CmName, "cm-name", |f| &f.name, |f, v| f.name = v, "text", Some(Msg::CmNameHint))}
                <label class="field">
                    <span>{i18n.tr(Msg::NpObject)}</span>
                    <select data-testid="cm-object" on:change=move |ev| form.update(|f| f.object_id = event_target_value(&ev).parse().unwrap_or(0))>
                        {objects.into_iter().map(|(v, text)| {
                            let o: i64 = v.parse().unwrap_or(0);
                            view! { <option value=v selected=move || form.with(|f| f.object_id == o)>{text}</option> }
                        }).collect_view()}
                    </select>
                </label>
                {select(form, Msg::InvLine, "cm-line", |f| &f.line, |f, v| f.line = v, kinds)}
                <label class="check">
                    <input type="checkbox" data-testid="cm-built-in" prop:checked=move || form.with(|f| f.built_in)
                        on:change=move |ev| form.update(|f| f.built_in = event_target_checked(&ev))/>
                    {i18n.tr(Msg::CmBuiltInHint)}
                </label>
            </fieldset>
    }
    .into_any();
    let connection = view! {
            <fieldset class="panel form-grid">
                <legend>{i18n.tr(Msg::CmConnection)}</legend>
                <div class="kind-fields" class:hidden=move || !is(&[LineKind::Tcp, LineKind::Gprs])()>
                    {input(form, Msg::CmHost, "cm-host", |f| &f.host, |f, v| f.host = v, "text", None)}
                    {input(form, Msg::CmPort, "cm-port", |f| &f.port, |f, v| f.port = v, "text", None)}
                </div>
                <div class="kind-fields" class:hidden=move || !is(&[LineKind::Gprs])()>
                    {input(form, Msg::CmIccid, "cm-iccid", |f| &f.sim_iccid, |f, v| f.sim_iccid = v, "text", None)}
                    {input(form, Msg::CmImsi, "cm-imsi", |f| &f.imsi, |f, v| f.imsi = v, "text", None)}
                    {input(form, Msg::CmSimPhone, "cm-phone", |f| &f.phone, |f, v| f.phone = v, "tel", None)}
                </div>
                <div class="kind-fields" class:hidden=move || !is(&[LineKind::Lorawan])()>
                    {input(form, Msg::CmDevEui, "cm-dev-eui", |f| &f.dev_eui, |f, v| f.dev_eui = v, "text", None)}
                    {select(form, Msg::CmClass, "cm-class", |f| &f.lorawan_class, |f, v| f.lorawan_class = v, classes)}
                    {select(form, Msg::CmVersion, "cm-version", |f| &f.lorawan_version, |f, v| f.lorawan_version = v, versions)}
                    {input(form, Msg::CmFieldMap, "cm-field-map", |f| &f.field_map, |f, v| f.field_map = v, "text", Some(Msg::CmFieldMapHint))}
                </div>
                <div class="kind-fields" class:hidden=move || !is(&[LineKind::Rs485, LineKind::Mbus])()>
                    {input(form, Msg::CmSerialPort, "cm-serial-port", |f| &f.serial_port, |f, v| f.serial_port = v, "text", Some(Msg::CmSerialPortHint))}
                    {select(form, Msg::CmBaud, "cm-baud", |f| &f.baud_rate, |f, v| f.baud_rate = v, bauds)}
                    {select(form, Msg::CmParity, "cm-parity", |f| &f.parity, |f, v| f.parity = v, parities)}
                </div>
            </fieldset>
    }
    .into_any();
    let timing = view! {
            <fieldset class="panel form-grid" class:hidden=move || is(&[LineKind::Lorawan])()>
                <legend>{i18n.tr(Msg::CmTimingTitle)}</legend>
                <p class="note wide">{i18n.tr(Msg::CmTimingHint)}</p>
                {input(form, Msg::CmTimeout, "cm-timeout", |f| &f.timeout_ms, |f, v| f.timeout_ms = v, "text", None)}
                {input(form, Msg::CmCharTimeout, "cm-char-timeout", |f| &f.char_timeout_ms, |f, v| f.char_timeout_ms = v, "text", None)}
                {input(form, Msg::CmFrameGap, "cm-frame-gap", |f| &f.frame_gap_ms, |f, v| f.frame_gap_ms = v, "text", None)}
                {input(form, Msg::CmRetries, "cm-retries", |f| &f.retries, |f, v| f.retries = v, "text", None)}
            </fieldset>
    }
    .into_any();
    view! {
        <h1>{title}</h1>
        <form class="communicator-form" on:submit=|ev| ev.prevent_default() data-testid="communicator-form">
            {main_set}
            {connection}
            {timing}
            <ActionError value=save.value()/>
            <ActionError value=remove.value()/>
            <Show when=saved>
                <p class="ok" role="status" data-testid="communicator-saved">{i18n.tr(Msg::CmSaved)}</p>
            </Show>
            <div class="toolbar">
                <button type="button" class="button primary" data-testid="communicator-save" on:click=submit disabled=move || save.pending().get()>
                    {i18n.tr(Msg::Save)}
                </button>
                <span class="spacer"></span>
                {id.map(|_| view! {
                    <button type="button" class="button danger" data-testid="communicator-delete" on:click=delete
                        disabled=move || has_meters || remove.pending().get() title=move || if has_meters { i18n.t(Msg::CmDeleteBlocked).to_string() } else { String::new() }>
                        {i18n.tr(Msg::CmDelete)}
                    </button>
                })}
            </div>
        </form>
        {meters}
    }
    .into_any()
}

/// The card for a person who may not change it.
fn read_only(card: &CommunicatorCard) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let spec = card.form.check().ok();
    let f = &card.form;
    let object = card.objects.iter().find(|(o, _)| *o == f.object_id).map(|(_, n)| n.clone()).unwrap_or_else(|| Msg::CmShared.text(lang).to_string());
    let kind = LineKind::parse(&f.line).map(|k| k.label(lang).to_string()).unwrap_or_default();
    let rows = [
        (Msg::NpObject, object),
        (Msg::InvLine, kind),
        (Msg::CmAddress, spec.as_ref().map(|s| s.address()).unwrap_or_default()),
        (Msg::CmIccid, f.sim_iccid.clone()),
        (Msg::CmSimPhone, f.phone.clone()),
        (Msg::CmTiming, spec.as_ref().map(|s| s.timing(lang)).unwrap_or_default()),
    ];
    view! {
        <dl class="card-list" data-testid="communicator-card">
            {rows.into_iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| view! { <dt>{i18n.tr(k)}</dt><dd>{v}</dd> }).collect_view()}
        </dl>
    }
}

/// The meters in service on the line, each opening its card; searched, sorted and
/// downloaded like every list.
fn meters_table(card: &CommunicatorCard) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    if card.id.is_none() {
        return ().into_any();
    }
    if card.meters.is_empty() {
        return view! {
            <h2>{i18n.tr(Msg::CmMetersTitle)}</h2>
            <p class="empty" data-testid="communicator-no-meters">{i18n.tr(Msg::CmNoMeters)}</p>
        }
        .into_any();
    }
    let header: Vec<String> = [Msg::Serial, Msg::Model, Msg::NpObject, Msg::ConPremise, Msg::MfProtocol, Msg::InvBusAddress, Msg::LastContact]
        .iter()
        .map(|m| m.text(lang).to_string())
        .collect();
    let cells: Vec<Vec<Cell>> = card
        .meters
        .iter()
        .map(|m| {
            [&m.serial, &m.model, &m.object, &m.place, &m.protocol, &m.bus_address, &m.last_contact]
                .into_iter()
                .map(|v| Cell::Text(v.clone()))
                .collect()
        })
        .collect();
    let csv = cells_csv(&header, &cells, &[]);
    let rows: Vec<CellRow> = card
        .meters
        .iter()
        .zip(cells)
        .map(|(m, cells)| CellRow { cells, class: String::new(), link: Some(format!("/meters/{}", m.meter_id)), id: m.meter_id.to_string() })
        .collect();
    let search = RwSignal::new(String::new());
    view! {
        <h2>{i18n.tr(Msg::CmMetersTitle)} " (" {card.meters.len()} ")"</h2>
        <div class="toolbar">
            <input type="search" class="search" placeholder=i18n.tr(Msg::Search) aria-label=i18n.tr(Msg::Search)
                on:input=move |ev| search.set(event_target_value(&ev)) data-testid="communicator-meters-search"/>
            <span class="spacer"></span>
            <a class="button" href=csv download="communicator-meters.csv" data-testid="communicator-meters-csv">{i18n.tr(Msg::ExportCsv)}</a>
        </div>
        <CellTable header rows search class="communicator-meters" testid="communicator-meters"/>
    }
    .into_any()
}
