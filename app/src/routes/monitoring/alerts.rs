//! «Оповещения» (F27, EK 4.6.13): a staff member subscribes to the events that concern them —
//! kinds, severities, resources, buildings — by email and/or a webhook (a Telegram bot, the
//! company's own system), with quiet hours; sees, switches off and removes their
//! subscriptions. Every letter carries a link that unsubscribes without signing in.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::confirm::confirmed;
use crate::errors::AppError;
use crate::components::error_view::{ActionError, ErrorBox};
use crate::components::export::csv_href;
use crate::components::table::{all_words_in, shown_rows, Sort, SortTh};
use crate::functions::alerts::{alert_subscriptions, DeleteAlerts, SubscribeAlerts, SwitchAlerts};
use crate::i18n::{resource_name, use_i18n, Lang, Msg};
use crate::models::alerts::{hh_mm, MyAlerts, Subscription};
use crate::models::monitoring::{EventKind, Severity};
use crate::models::Resource;
use crate::resource::resource;

#[component]
pub fn AlertsPage() -> impl IntoView {
    let i18n = use_i18n();
    let subscribe = ServerAction::<SubscribeAlerts>::new();
    let switch = ServerAction::<SwitchAlerts>::new();
    let delete = ServerAction::<DeleteAlerts>::new();
    // the list again after a change is kept; not after a refusal, so the form keeps what
    // was typed beside its message
    let changed = RwSignal::new(0u32);
    Effect::new(move |_| {
        let ok = |v: Option<Result<(), AppError>>| matches!(v, Some(Ok(())));
        // all three read each time (no short circuit), so each stays tracked
        let kept = [subscribe.value().with(|v| matches!(v, Some(Ok(_)))), ok(switch.value().get()), ok(delete.value().get())];
        if kept.contains(&true) {
            changed.update(|n| *n += 1);
        }
    });
    let data = resource(move || changed.get(), |_| alert_subscriptions());
    view! {
        <Title text=i18n.tr(Msg::MenuAlerts)/>
        <section class="page alerts-page">
            <h1>{i18n.tr(Msg::MenuAlerts)}</h1>
            <p class="lead">{i18n.tr(Msg::AlLead)}</p>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(p) => view! { <Alerts page=p subscribe switch delete/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Alerts(
    page: MyAlerts,
    subscribe: ServerAction<SubscribeAlerts>,
    switch: ServerAction<SwitchAlerts>,
    delete: ServerAction<DeleteAlerts>,
) -> impl IntoView {
    let i18n = use_i18n();
    let objects = page.objects.clone();
    view! {
        <details class="panel" open=page.subscriptions.is_empty() data-testid="alert-form-panel">
            <summary>{i18n.tr(Msg::AlNew)}</summary>
            {(!page.mail_enabled).then(|| view! { <p class="notice" data-testid="alert-no-mail">{i18n.tr(Msg::AlMailOff)}</p> })}
            <SubscriptionForm email=page.email.clone() objects subscribe/>
        </details>
        // outside the panel: it closes once there is a subscription to list
        {move || matches!(subscribe.value().get(), Some(Ok(_))).then(|| view! {
            <p class="ok" role="status" data-testid="alert-saved">{i18n.tr(Msg::AlSaved)}</p>
        })}
        <ActionError value=switch.value()/>
        <ActionError value=delete.value()/>
        {if page.subscriptions.is_empty() {
            view! { <p class="muted" data-testid="alerts-none">{i18n.tr(Msg::AlNone)}</p> }.into_any()
        } else {
            view! { <Subscriptions rows=page.subscriptions objects=page.objects switch delete/> }.into_any()
        }}
    }
}

/// Checkboxes over a list of choices, their values kept in `chosen`.
#[component]
fn Choices(legend: Msg, choices: Vec<(String, String)>, chosen: RwSignal<Vec<String>>, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="choices" data-testid=testid>
            <legend>{i18n.tr(legend)} " " <span class="muted">{i18n.tr(Msg::AlAllIfNone)}</span></legend>
            {choices
                .into_iter()
                .map(|(value, label)| {
                    let v = value.clone();
                    let checked = move || chosen.with(|c| c.contains(&v));
                    let value_attr = value.clone();
                    view! {
                        <label class="check">
                            <input type="checkbox" value=value_attr prop:checked=checked on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                chosen.update(|c| {
                                    c.retain(|x| *x != value);
                                    if on {
                                        c.push(value.clone());
                                    }
                                });
                            }/>
                            " " {label}
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

#[component]
fn SubscriptionForm(email: String, objects: Vec<(i64, String)>, subscribe: ServerAction<SubscribeAlerts>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(email);
    let webhook = RwSignal::new(String::new());
    let kinds = RwSignal::new(Vec::<String>::new());
    let severities = RwSignal::new(Vec::<String>::new());
    let resources = RwSignal::new(Vec::<String>::new());
    let buildings = RwSignal::new(Vec::<String>::new());
    let quiet_from = RwSignal::new(String::new());
    let quiet_to = RwSignal::new(String::new());
    let remind_hours = RwSignal::new(String::new());
    let kind_choices: Vec<(String, String)> = EventKind::ALL.iter().map(|k| (k.as_str().to_string(), k.label().text(lang).to_string())).collect();
    let severity_choices: Vec<(String, String)> = Severity::ALL.iter().map(|s| (s.as_str().to_string(), s.label().text(lang).to_string())).collect();
    let resource_choices: Vec<(String, String)> = Resource::ALL.iter().map(|r| (r.as_str().to_string(), resource_name(*r).text(lang).to_string())).collect();
    let building_choices: Vec<(String, String)> = objects.into_iter().map(|(id, n)| (id.to_string(), n)).collect();
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        subscribe.dispatch(SubscribeAlerts {
            name: name.get_untracked(),
            email: email.get_untracked(),
            webhook_url: webhook.get_untracked(),
            kinds: kinds.get_untracked().join(","),
            severities: severities.get_untracked().join(","),
            resources: resources.get_untracked().join(","),
            objects: buildings.get_untracked().join(","),
            quiet_from: quiet_from.get_untracked(),
            quiet_to: quiet_to.get_untracked(),
            remind_hours: remind_hours.get_untracked(),
        });
    };
    view! {
        <form class="form-grid alert-form" data-testid="alert-form" on:submit=send>
            <label>
                <span>{i18n.tr(Msg::AlName)}</span>
                <input type="text" data-testid="alert-name" maxlength="300" placeholder=i18n.tr(Msg::AlNameHint) bind:value=name/>
            </label>
            <label>
                <span>{i18n.tr(Msg::Email)}</span>
                <input type="email" data-testid="alert-email" maxlength="300" bind:value=email/>
            </label>
            <label class="wide">
                <span>{i18n.tr(Msg::AlWebhook)}</span>
                <input type="url" data-testid="alert-webhook" maxlength="300" placeholder="https://…" bind:value=webhook/>
            </label>
            <Choices legend=Msg::AlKinds choices=kind_choices chosen=kinds testid="alert-kinds"/>
            <Choices legend=Msg::AlSeverities choices=severity_choices chosen=severities testid="alert-severities"/>
            <Choices legend=Msg::AlResources choices=resource_choices chosen=resources testid="alert-resources"/>
            <Choices legend=Msg::AlBuildings choices=building_choices chosen=buildings testid="alert-buildings"/>
            <fieldset class="choices">
                <legend>{i18n.tr(Msg::AlQuiet)} " " <span class="muted">{i18n.tr(Msg::AlQuietHint)}</span></legend>
                <label class="inline">{i18n.tr(Msg::AlFrom)} " " <input type="time" data-testid="alert-quiet-from" bind:value=quiet_from/></label>
                <label class="inline">{i18n.tr(Msg::AlTo)} " " <input type="time" data-testid="alert-quiet-to" bind:value=quiet_to/></label>
            </fieldset>
            <fieldset class="choices">
                <legend>{i18n.tr(Msg::AlRemind)} " " <span class="muted">{i18n.tr(Msg::AlRemindHint)}</span></legend>
                <label class="inline">{i18n.tr(Msg::AlRemindEvery)} " "
                    <input type="number" min="1" max="168" step="1" inputmode="numeric" class="hours" data-testid="alert-remind" bind:value=remind_hours/>
                </label>
            </fieldset>
            <button type="submit" class="button primary" data-testid="alert-subscribe" disabled=move || subscribe.pending().get()>
                {i18n.tr(Msg::AlSubscribe)}
            </button>
        </form>
        <ActionError value=subscribe.value()/>
    }
}

/// What a subscription listens to, in words: «все» or the chosen names.
fn what(s: &Subscription, objects: &[(i64, String)], lang: Lang) -> [String; 4] {
    let all = || Msg::AlAll.text(lang).to_string();
    let or_all = |v: Vec<String>| if v.is_empty() { all() } else { v.join(", ") };
    [
        or_all(s.kinds.iter().map(|k| k.label().text(lang).to_string()).collect()),
        or_all(s.severities.iter().map(|v| v.label().text(lang).to_string()).collect()),
        or_all(s.resources.iter().map(|r| resource_name(*r).text(lang).to_string()).collect()),
        or_all(s.objects.iter().map(|id| objects.iter().find(|(o, _)| o == id).map(|(_, n)| n.clone()).unwrap_or_else(|| format!("#{id}"))).collect()),
    ]
}

fn cells(s: &Subscription, objects: &[(i64, String)], lang: Lang) -> Vec<String> {
    let [kinds, severities, resources, buildings] = what(s, objects, lang);
    let host = s.webhook_url.split("://").nth(1).and_then(|r| r.split(['/', '?']).next()).unwrap_or("");
    vec![
        s.name.clone(),
        [s.email.clone(), (!host.is_empty()).then(|| format!("webhook {host}")).unwrap_or_default()]
            .into_iter()
            .filter(|x| !x.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        kinds,
        severities,
        resources,
        buildings,
        s.quiet.map(|(f, t)| format!("{}–{}", hh_mm(f), hh_mm(t))).unwrap_or_default(),
        s.remind_hours.map(|h| format!("{} {h} {}", Msg::AlEvery.text(lang), Msg::HoursShort.text(lang))).unwrap_or_default(),
        if s.active { Msg::AlOn } else { Msg::AlOff }.text(lang).to_string(),
    ]
}

const HEAD: [Msg; 9] =
    [Msg::AlName, Msg::AlWhere, Msg::AlKinds, Msg::AlSeverities, Msg::AlResources, Msg::AlBuildings, Msg::AlQuiet, Msg::AlRemindCell, Msg::State];

#[component]
fn Subscriptions(
    rows: Vec<Subscription>,
    objects: Vec<(i64, String)>,
    switch: ServerAction<SwitchAlerts>,
    delete: ServerAction<DeleteAlerts>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let search = RwSignal::new(String::new());
    // by a column's text, the name first
    let sort = RwSignal::new(Sort { key: 0usize, ascending: true });
    let table: Vec<(Subscription, Vec<String>)> = rows.iter().map(|s| (s.clone(), cells(s, &objects, lang))).collect();
    let mut csv = vec![HEAD.iter().map(|m| m.text(lang).to_string()).collect::<Vec<_>>()];
    csv.extend(table.iter().map(|(_, c)| c.clone()));
    let csv = csv_href(&csv);
    let table = StoredValue::new(table);
    let shown = Memo::new(move |_| {
        let q = search.get();
        table.with_value(|t| {
            shown_rows(t, |(_, c)| all_words_in(&c.join(" "), &q), sort.get(), |a, b, k| {
                crate::models::text::lowercase(&a.1[k]).cmp(&crate::models::text::lowercase(&b.1[k]))
            })
        })
    });
    view! {
        <div class="toolbar">
            <input type="search" class="search" bind:value=search placeholder=i18n.tr(Msg::AlSearch)/>
            <a class="button" href=csv download="оповещения.csv" data-testid="alerts-csv">"CSV"</a>
        </div>
        <div class="table-wrap">
            <table class="data" data-testid="alerts">
                <thead><tr>
                    {HEAD.iter().enumerate().map(|(k, m)| view! { <SortTh label=*m key=k sort/> }).collect_view()}
                    <th></th>
                </tr></thead>
                <tbody>
                    <For each=move || shown.get() key=|(s, _)| (s.id, s.active) let:row>
                        {
                            let (s, c) = row;
                            let (id, active) = (s.id, s.active);
                            view! {
                                <tr data-alert=s.name.clone() class:blocked=!active>
                                    {c.into_iter().map(|v| view! { <td>{v}</td> }).collect_view()}
                                    <td class="actions">
                                        <button type="button" class="small" data-testid="alert-switch"
                                            on:click=move |_| { switch.dispatch(SwitchAlerts { id, active: !active }); }>
                                            {i18n.tr(if active { Msg::AlTurnOff } else { Msg::AlTurnOn })}
                                        </button>
                                        " "
                                        <button type="button" class="small danger" data-testid="alert-delete" on:click=move |_| {
                                            if confirmed(i18n.t(Msg::AlDeleteConfirm)) {
                                                delete.dispatch(DeleteAlerts { id });
                                            }
                                        }>{i18n.tr(Msg::AlDelete)}</button>
                                    </td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </div>
    }
}
