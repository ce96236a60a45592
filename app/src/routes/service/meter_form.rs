//! The add-meter wizard (`/service/meters/new`) and a meter's edit form
//! (`/service/meters/{id}`): the device, its place, register, verification and line, one step
//! at a time, then a review. The server checks the whole form as the meter file's one row
//! would be; its reasons are listed on the review step, each with a way back to its step.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::components::error_view::ErrorBox;
use crate::components::scan::ScanButton;
use crate::functions::meter_form::{meter_form_places, open_meter_form, SaveMeter};
use crate::i18n::{resource_name, use_i18n, Msg};
use crate::models::meter_form::{FormPlaces, MeterForm, MeterFormData, Step};
use crate::models::polling::PROTOCOLS;
use crate::models::Resource;
use crate::resource::resource;

#[component]
pub fn MeterFormPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let asked = Memo::new(move |_| {
        let id = params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
        let object = query.with(|q| q.get("object").and_then(|v| v.parse::<i64>().ok()));
        (id, object)
    });
    let data = resource(move || asked.get(), |(id, object)| open_meter_form(id, object));
    view! {
        <Title text=move || i18n.t(if asked.get().0.is_some() { Msg::MfEdit } else { Msg::MfNew }).to_string()/>
        <section class="page meter-form">
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(d) => view! { <Wizard data=d/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// A value of the review as people read it: the resource and the protocol by name, a date
/// as dd.mm.yyyy.
fn shown(title: &str, value: &str, lang: crate::i18n::Lang) -> String {
    match title {
        "Ресурс" => Resource::parse(value).map(|r| resource_name(r).text(lang).to_string()),
        "Протокол" => PROTOCOLS.iter().find(|(k, _)| *k == value).map(|(_, n)| n.to_string()),
        t if t.starts_with("Дата") => chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").ok().map(crate::models::format::date),
        _ => None,
    }
    .unwrap_or_else(|| value.to_string())
}

/// A step's place in the wizard, from 0.
fn at(s: Step) -> usize {
    Step::ALL.iter().position(|x| *x == s).unwrap_or(0)
}

/// A text input bound to one field of the form.
fn input(
    form: RwSignal<MeterForm>,
    label: Msg,
    testid: &'static str,
    get: fn(&MeterForm) -> &String,
    set: fn(&mut MeterForm, String),
    kind: &'static str,
    hint: Option<Msg>,
    locked: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="field">
            <span>{i18n.tr(label)}</span>
            <input type=kind prop:value=move || form.with(|f| get(f).clone()) data-testid=testid disabled=locked
                on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))
                placeholder=move || hint.map(|h| i18n.t(h).to_string()).unwrap_or_default()/>
        </label>
    }
}

#[component]
fn Wizard(data: MeterFormData) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let meter_id = data.meter_id;
    let locked = meter_id.is_some();
    let form = RwSignal::new(data.form);
    let step = RwSignal::new(Step::Device);
    // the building's choices came with the form; another building's are asked when it is
    // chosen, into a plain signal: a resource read inside the form's select did not hydrate
    let places = RwSignal::new(data.places);
    let choose_object = move |o: i64| {
        form.update(|f| f.object_id = o);
        places.set(FormPlaces::default());
        if o != 0 {
            leptos::task::spawn_local(async move {
                if let Ok(p) = meter_form_places(o).await {
                    if form.with_untracked(|f| f.object_id == o) {
                        places.set(p);
                    }
                }
            });
        }
    };
    let save = ServerAction::<SaveMeter>::new();
    let issues = Memo::new(move |_| save.value().with(|v| match v {
        Some(Ok(s)) => s.issues.clone(),
        _ => Vec::new(),
    }));
    let failure = Memo::new(move |_| save.value().with(|v| match v {
        Some(Err(e)) => Some(e.clone()),
        _ => None,
    }));
    Effect::new(move |_| {
        if let Some(Ok(s)) = save.value().get() {
            if let Some(id) = s.meter_id.filter(|_| s.issues.is_empty()) {
                navigate(&format!("/meters/{id}"), Default::default());
            }
        }
    });
    let go = move |delta: i64| {
        let i = (at(step.get_untracked()) as i64 + delta).clamp(0, Step::ALL.len() as i64 - 1) as usize;
        step.set(Step::ALL[i]);
    };
    let steps = Step::ALL
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let s = *s;
            view! {
                <li class:current=move || step.get() == s class:done=move || { at(step.get()) > i }>
                    <button type="button" class="link" on:click=move |_| step.set(s) data-step=format!("{s:?}")>
                        {i + 1} ". " {i18n.tr(s.label())}
                    </button>
                </li>
            }
        })
        .collect_view();
    let objects = data
        .objects
        .iter()
        .map(|(id, name)| {
            let id = *id;
            view! { <option value=id.to_string() selected=move || form.with(|f| f.object_id == id)>{name.clone()}</option> }
        })
        .collect_view();
    let resources = Resource::ALL
        .iter()
        .map(|r| {
            let r = *r;
            view! { <option value=r.as_str() selected=move || form.with(|f| f.resource == r.as_str())>{move || i18n.t(resource_name(r))}</option> }
        })
        .collect_view();
    let electricity = move || form.with(|f| f.resource == Resource::Electricity.as_str());
    let on_line = move || form.with(|f| !f.line.is_empty());
    let title = match meter_id {
        Some(_) => format!("{} {}", Msg::MfEdit.text(i18n.lang()), data.title),
        None => Msg::MfNew.text(i18n.lang()).to_string(),
    };
    let premises = move || {
        places.with(|p| p.premises.iter().map(|n| view! { <option value=n.clone()></option> }).collect_view())
    };
    let lines = move || {
        places.with(|p| {
            p.lines
                .iter()
                .map(|(name, kind)| {
                    let label = format!("{name} ({})", kind.to_uppercase());
                    let chosen = name.clone();
                    view! { <option value=name.clone() selected=move || form.with(|f| f.line == chosen)>{label}</option> }
                })
                .collect_view()
        })
    };
    let protocols = PROTOCOLS
        .iter()
        .map(|(key, name)| view! { <option value=*key selected=move || form.with(|f| f.protocol == *key)>{*name}</option> })
        .collect_view();
    let phases = ["", "1", "3", "L1", "L2", "L3"]
        .into_iter()
        .map(|p| {
            let label = move || match p {
                "" => i18n.t(Msg::MfPhaseNone).to_string(),
                "1" => i18n.t(Msg::MeterSinglePhase).to_string(),
                "3" => i18n.t(Msg::MeterThreePhase).to_string(),
                l => format!("{} {l}", i18n.t(Msg::MeterSinglePhase)),
            };
            view! { <option value=p selected=move || form.with(|f| f.phase == p)>{label}</option> }
        })
        .collect_view();
    let review = move || {
        let f = form.get();
        let (head, row) = f.as_row();
        let object = data.objects.iter().find(|(id, _)| *id == f.object_id).map(|(_, n)| n.clone()).unwrap_or_default();
        let mut lines = vec![(i18n.t(Msg::NpObject).to_string(), object)];
        let lang = i18n.lang();
        lines.extend(head.into_iter().zip(row).filter(|(_, v)| !v.is_empty()).map(|(t, v)| {
            let v = shown(&t, &v, lang);
            (t, v)
        }));
        lines
            .into_iter()
            .map(|(k, v)| view! { <tr><th>{k}</th><td>{v}</td></tr> })
            .collect_view()
    };
    let submit = move |_| {
        save.dispatch(SaveMeter { id: meter_id, form: form.get_untracked() });
    };
    let show = move |s: Step| move || step.get() != s;
    let device_step = view! {
            <fieldset class:hidden=show(Step::Device)>
                <legend>{i18n.tr(Msg::MfStepDevice)}</legend>
                <label class="field"><span>{i18n.tr(Msg::NpResource)}</span>
                    <select data-testid="mf-resource" on:change=move |ev| form.update(|f| f.resource = event_target_value(&ev))>{resources}</select>
                </label>
                {input(form, Msg::Model, "mf-model", |f| &f.model, |f, v| f.model = v, "text", None, locked)}
                <div class="with-scan">
                    {input(form, Msg::Serial, "mf-serial", |f| &f.serial, |f, v| f.serial = v, "text", None, locked)}
                    {(!locked).then(|| view! { <ScanButton on_code=Callback::new(move |t| form.update(|f| f.serial = t)) testid="mf-serial-scan"/> })}
                </div>
                {locked.then(|| view! { <p class="note">{i18n.tr(Msg::MfLocked)}</p> })}
                <div class="with-scan">
                    {input(form, Msg::InvBarcode, "mf-barcode", |f| &f.barcode, |f, v| f.barcode = v, "text", None, false)}
                    <ScanButton on_code=Callback::new(move |t| form.update(|f| f.barcode = t)) testid="mf-barcode-scan"/>
                </div>
            </fieldset>
    }
    .into_any();
    let place_step = view! {
            <fieldset class:hidden=show(Step::Place)>
                <legend>{i18n.tr(Msg::MfStepPlace)}</legend>
                <label class="field"><span>{i18n.tr(Msg::NpObject)}</span>
                    <select data-testid="mf-object" on:change=move |ev| choose_object(event_target_value(&ev).parse().unwrap_or(0))>{objects}</select>
                </label>
                <label class="field"><span>{i18n.tr(Msg::ConPremise)}</span>
                    <input type="text" list="mf-premises" data-testid="mf-premise" prop:value=move || form.with(|f| f.premise.clone())
                        on:input=move |ev| form.update(|f| f.premise = event_target_value(&ev)) placeholder=i18n.tr(Msg::MfPremiseHint)/>
                    <datalist id="mf-premises">{premises}</datalist>
                </label>
                <p class="note" class:hidden=move || form.with(|f| !f.premise.trim().is_empty())>{i18n.tr(Msg::MfCommon)}</p>
            </fieldset>
    }
    .into_any();
    let register_step = view! {
            <fieldset class:hidden=show(Step::Register)>
                <legend>{i18n.tr(Msg::MfStepRegister)}</legend>
                {input(form, Msg::Capacity, "mf-capacity", |f| &f.capacity, |f, v| f.capacity = v, "text", Some(Msg::MfCapacityHint), false)}
                <label class="field"><span>{i18n.tr(Msg::Tariffs)}</span>
                    <select data-testid="mf-tariffs" on:change=move |ev| form.update(|f| f.tariffs = event_target_value(&ev))>
                        {["1", "2", "3", "4"].map(|t| view! { <option value=t selected=move || form.with(|f| f.tariffs == t)>{t}</option> }).to_vec()}
                    </select>
                </label>
                {input(form, Msg::Multiplier, "mf-multiplier", |f| &f.multiplier, |f, v| f.multiplier = v, "text", None, false)}
                <label class="field" class:hidden=move || !electricity()><span>{i18n.tr(Msg::MeterPhase)}</span>
                    <select data-testid="mf-phase" on:change=move |ev| form.update(|f| f.phase = event_target_value(&ev))>{phases}</select>
                </label>
            </fieldset>
    }
    .into_any();
    let verification_step = view! {
            <fieldset class:hidden=show(Step::Verification)>
                <legend>{i18n.tr(Msg::MfStepVerification)}</legend>
                {input(form, Msg::Installed, "mf-installed", |f| &f.installed_on, |f, v| f.installed_on = v, "date", None, false)}
                {input(form, Msg::VerVerifiedOn, "mf-verified", |f| &f.verified_on, |f, v| f.verified_on = v, "date", None, false)}
                {input(form, Msg::MfInterval, "mf-interval", |f| &f.interval, |f, v| f.interval = v, "number", None, false)}
                {input(form, Msg::VerDueOn, "mf-next", |f| &f.next_verification_on, |f, v| f.next_verification_on = v, "date", None, false)}
                <p class="note">{i18n.tr(Msg::MfNextHint)}</p>
            </fieldset>
    }
    .into_any();
    let line_step = view! {
            <fieldset class:hidden=show(Step::Line)>
                <legend>{i18n.tr(Msg::MfStepLine)}</legend>
                <label class="field"><span>{i18n.tr(Msg::InvLine)}</span>
                    <select data-testid="mf-line" on:change=move |ev| form.update(|f| f.line = event_target_value(&ev))>
                        <option value="" selected=move || form.with(|f| f.line.is_empty())>{i18n.tr(Msg::MfByHand)}</option>
                        {lines}
                    </select>
                </label>
                <div class:hidden=move || !on_line()>
                    <label class="field"><span>{i18n.tr(Msg::MfProtocol)}</span>
                        <select data-testid="mf-protocol" on:change=move |ev| form.update(|f| f.protocol = event_target_value(&ev))>
                            <option value="" selected=move || form.with(|f| f.protocol.is_empty())>"—"</option>
                            {protocols}
                        </select>
                    </label>
                    {input(form, Msg::InvBusAddress, "mf-address", |f| &f.bus_address, |f, v| f.bus_address = v, "text", None, false)}
                    {input(form, Msg::MfPassword, "mf-password", |f| &f.bus_password, |f, v| f.bus_password = v, "password", locked.then_some(Msg::MfPasswordKeep), false)}
                </div>
            </fieldset>
    }
    .into_any();
    let review_step = view! {
            <fieldset class:hidden=show(Step::Review)>
                <legend>{i18n.tr(Msg::MfStepReview)}</legend>
                <table class="data review" data-testid="mf-review"><tbody>{review}</tbody></table>
                {move || failure.get().map(|e| view! { <ErrorBox error=e/> })}
                {move || {
                    let list = issues.get();
                    (!list.is_empty()).then(|| {
                        let items = list
                            .into_iter()
                            .map(|x| {
                                let back = Step::of_column(&x.column);
                                view! {
                                    <li data-column=x.column.clone()>
                                        <strong>{x.column.clone()}</strong> ": " {x.reason.clone()} " "
                                        <button type="button" class="link" on:click=move |_| step.set(back)>{i18n.tr(Msg::MfGoTo)}</button>
                                    </li>
                                }
                            })
                            .collect_view();
                        view! {
                            <div class="error-box" role="alert" data-testid="mf-issues">
                                <p>{i18n.tr(Msg::MfIssues)}</p>
                                <ul>{items}</ul>
                            </div>
                        }
                    })
                }}
            </fieldset>
    }
    .into_any();
    view! {
        <h1>{title}</h1>
        <p class="lead">{i18n.tr(Msg::MfLead)}</p>
        <ol class="wizard-steps" data-testid="mf-steps">{steps}</ol>
        <form class="wizard" on:submit=|ev| ev.prevent_default() data-testid="meter-form">
            {device_step}
            {place_step}
            {register_step}
            {verification_step}
            {line_step}
            {review_step}
            <div class="wizard-buttons">
                <button type="button" class="button" data-testid="mf-back" on:click=move |_| go(-1) disabled=move || step.get() == Step::Device>
                    "‹ " {i18n.tr(Msg::MfBack)}
                </button>
                <button type="button" class="button primary" data-testid="mf-next-step" on:click=move |_| go(1) class:hidden=move || step.get() == Step::Review>
                    {i18n.tr(Msg::MfNext)} " ›"
                </button>
                <button type="button" class="button primary" data-testid="mf-save" on:click=submit class:hidden=move || step.get() != Step::Review
                    disabled=move || save.pending().get()>
                    {i18n.tr(Msg::MfSave)}
                </button>
            </div>
        </form>
    }
}
