//! A consumption chart: columns side by side, stacked columns, lines or areas, drawn by
//! ECharts through charming after hydration. The page around it already carries the numbers
//! (widgets and table are rendered on the server); the chart only draws them. ECharts
//! (public/vendor/echarts.min.js, about 1 MB) loads only on pages that have a chart.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How the series are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ChartKind {
    #[default]
    Grouped,
    Stacked,
    Lines,
    Areas,
}

impl ChartKind {
    pub const ALL: [ChartKind; 4] = [
        ChartKind::Grouped,
        ChartKind::Stacked,
        ChartKind::Lines,
        ChartKind::Areas,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChartKind::Grouped => "grouped",
            ChartKind::Stacked => "stacked",
            ChartKind::Lines => "lines",
            ChartKind::Areas => "areas",
        }
    }
}

/// One series: its name and a value per label, as exact decimal text ("-" where missing,
/// which ECharts leaves as a gap).
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<String>,
}

/// The chart; `data-drawn` on its box says how many times it was drawn (browser tests wait
/// for it).
#[component]
pub fn ConsumptionChart(
    labels: Vec<String>,
    series: Vec<Series>,
    unit: String,
    kind: Signal<ChartKind>,
) -> impl IntoView {
    let drawn = RwSignal::new(0u32);
    #[cfg(feature = "hydrate")]
    {
        let i18n = crate::i18n::use_i18n();
        let ready = RwSignal::new(false);
        draw::load_echarts(ready);
        Effect::new(move |_| {
            let k = kind.get();
            let locale = i18n.lang().locale();
            if ready.get() && draw::draw(CHART_ID, &labels, &series, &unit, k, locale) {
                drawn.update(|n| *n += 1);
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (labels, series, unit);
    view! {
        <div id=CHART_ID class="chart" data-kind=move || kind.get().as_str() data-drawn=move || drawn.get()></div>
    }
}

const CHART_ID: &str = "consumption-chart";

#[cfg(feature = "hydrate")]
mod draw {
    use super::{ChartKind, Series};
    use charming::component::{Axis, Grid, Legend};
    use charming::element::{AreaStyle, AxisLabel, AxisType, Tooltip, Trigger};
    use charming::series::{Bar, Line};
    use charming::{Chart, WasmRenderer};
    use leptos::prelude::*;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    const SCRIPT: &str = "/vendor/echarts.min.js";

    fn echarts() -> Option<JsValue> {
        let w = web_sys::window()?;
        js_sys::Reflect::get(&w, &JsValue::from_str("echarts"))
            .ok()
            .filter(|v| !v.is_undefined())
    }

    /// Sets `ready` once the global `echarts` exists, adding its script tag if needed.
    pub fn load_echarts(ready: RwSignal<bool>) {
        if echarts().is_some() {
            ready.set(true);
            return;
        }
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let script = match doc.query_selector(&format!("script[src='{SCRIPT}']")) {
            Ok(Some(s)) => s,
            _ => {
                let Ok(s) = doc.create_element("script") else {
                    return;
                };
                let _ = s.set_attribute("src", SCRIPT);
                if let Some(head) = doc.head() {
                    let _ = head.append_child(&s);
                }
                s
            }
        };
        let onload = Closure::<dyn FnMut()>::new(move || ready.set(true));
        let _ = script.add_event_listener_with_callback("load", onload.as_ref().unchecked_ref());
        onload.forget();
    }

    /// Numbers as the page's language writes them («8 000», «1 234,5»): the axis labels and
    /// the tooltip go through the browser's own number format for `locale`, not ECharts'
    /// English commas. A Rust closure, so no script is compiled from a string (the page's
    /// Content-Security-Policy forbids that).
    fn number_format(locale: &'static str) -> Option<charming::element::JsFunction> {
        let f = Closure::<dyn Fn(JsValue) -> JsValue>::new(move |v: JsValue| -> JsValue {
            match v.as_f64() {
                Some(n) if n.is_finite() => js_sys::Number::from(n).to_locale_string(locale).into(),
                _ => JsValue::from_str("–"),
            }
        });
        serde_wasm_bindgen::from_value(f.into_js_value()).ok()
    }

    /// Draws afresh (the old instance is disposed, so nothing of the previous kind stays).
    pub fn draw(
        id: &str,
        labels: &[String],
        series: &[Series],
        unit: &str,
        kind: ChartKind,
        locale: &'static str,
    ) -> bool {
        let Some(ec) = echarts() else { return false };
        let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
        else {
            return false;
        };
        if let Ok(dispose) = js_sys::Reflect::get(&ec, &JsValue::from_str("dispose")) {
            if let Some(f) = dispose.dyn_ref::<js_sys::Function>() {
                let _ = f.call1(&ec, &el);
            }
        }
        // no entry animation: the figures are there at once, also in a printed page
        let mut tooltip = Tooltip::new().trigger(Trigger::Axis);
        let mut y_axis = Axis::new().type_(AxisType::Value).name(unit);
        if let (Some(a), Some(b)) = (number_format(locale), number_format(locale)) {
            tooltip = tooltip.value_formatter(a);
            y_axis = y_axis.axis_label(AxisLabel::new().formatter(b));
        }
        let mut chart = Chart::new()
            .animation(false)
            .legend(Legend::new().top("bottom"))
            .tooltip(tooltip)
            .grid(Grid::new().left("3%").right("3%").top("12%").bottom("15%").contain_label(true))
            .x_axis(Axis::new().type_(AxisType::Category).data(labels.to_vec()))
            .y_axis(y_axis);
        for s in series {
            let data: Vec<String> = s.values.clone();
            chart = match kind {
                ChartKind::Grouped => chart.series(Bar::new().name(s.name.as_str()).data(data)),
                ChartKind::Stacked => {
                    chart.series(Bar::new().name(s.name.as_str()).stack("all").data(data))
                }
                ChartKind::Lines => chart.series(Line::new().name(s.name.as_str()).data(data)),
                ChartKind::Areas => chart.series(
                    Line::new()
                        .name(s.name.as_str())
                        .stack("all")
                        .area_style(AreaStyle::new())
                        .data(data),
                ),
            };
        }
        WasmRenderer::new_opt(None, None).render(id, &chart).is_ok()
    }
}
