//! The API's reference as a plain page (`/api/v1/docs`), written on the server from the same
//! OpenAPI document the clients read: nothing fetched from elsewhere, no script.

use axum::http::header;
use axum::response::IntoResponse;
use serde_json::Value;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A schema's type as a reader says it: `string`, `integer | null`, `array of Meter`…
fn type_of(s: &Value) -> String {
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap_or(r);
        return format!("<a href=\"#schema-{0}\">{0}</a>", esc(name));
    }
    if let Some(alts) = s.get("oneOf").or_else(|| s.get("anyOf")).and_then(Value::as_array) {
        return alts.iter().map(type_of).collect::<Vec<_>>().join(" | ");
    }
    let kinds: Vec<String> = match s.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).map(str::to_string).collect(),
        _ => vec![],
    };
    kinds
        .iter()
        .map(|k| match k.as_str() {
            "array" => format!("array of {}", s.get("items").map(type_of).unwrap_or_default()),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

fn text(v: Option<&Value>) -> String {
    v.and_then(Value::as_str).map(esc).unwrap_or_default()
}

fn paragraphs(s: &str) -> String {
    s.split("\n\n").map(|p| format!("<p>{}</p>", esc(p.trim()))).collect()
}

fn operation(path: &str, method: &str, op: &Value) -> String {
    let mut out = format!(
        "<section class=\"op\"><h3><span class=\"m {m}\">{M}</span> <code>/api/v1{p}</code></h3>",
        m = esc(method),
        M = esc(&method.to_uppercase()),
        p = esc(path)
    );
    for key in ["summary", "description"] {
        if let Some(t) = op.get(key).and_then(Value::as_str) {
            out.push_str(&paragraphs(t));
        }
    }
    if let Some(params) = op.get("parameters").and_then(Value::as_array).filter(|p| !p.is_empty()) {
        out.push_str("<table><caption>Параметры</caption><tr><th>Имя</th><th>Где</th><th>Тип</th><th>Обязателен</th><th>Описание</th></tr>");
        for p in params {
            out.push_str(&format!(
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                text(p.get("name")),
                text(p.get("in")),
                p.get("schema").map(type_of).unwrap_or_default(),
                if p.get("required").and_then(Value::as_bool).unwrap_or(false) { "да" } else { "нет" },
                text(p.get("description")),
            ));
        }
        out.push_str("</table>");
    }
    if let Some(body) = op.pointer("/requestBody/content/application~1json/schema") {
        out.push_str(&format!("<p>Тело запроса (JSON): {}</p>", type_of(body)));
    }
    if let Some(responses) = op.get("responses").and_then(Value::as_object) {
        out.push_str("<table><caption>Ответы</caption><tr><th>Код</th><th>Описание</th><th>Содержимое</th></tr>");
        for (code, r) in responses {
            let content = r
                .get("content")
                .and_then(Value::as_object)
                .map(|c| {
                    c.iter()
                        .map(|(mime, m)| format!("<code>{}</code> {}", esc(mime), m.get("schema").map(type_of).unwrap_or_default()))
                        .collect::<Vec<_>>()
                        .join("<br>")
                })
                .unwrap_or_default();
            out.push_str(&format!("<tr><td>{}</td><td>{}</td><td>{content}</td></tr>", esc(code), text(r.get("description"))));
        }
        out.push_str("</table>");
    }
    out.push_str("</section>");
    out
}

fn schema(name: &str, s: &Value) -> String {
    let required: Vec<&str> = s
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut out = format!("<section class=\"schema\" id=\"schema-{0}\"><h3>{0}</h3>", esc(name));
    if let Some(d) = s.get("description").and_then(Value::as_str) {
        out.push_str(&paragraphs(d));
    }
    if let Some(props) = s.get("properties").and_then(Value::as_object) {
        out.push_str("<table><tr><th>Поле</th><th>Тип</th><th>Обязательно</th><th>Описание</th></tr>");
        for (field, p) in props {
            out.push_str(&format!(
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(field),
                type_of(p),
                if required.contains(&field.as_str()) { "да" } else { "нет" },
                text(p.get("description")),
            ));
        }
        out.push_str("</table>");
    }
    out.push_str("</section>");
    out
}

/// The whole reference page; `order` lists the paths as the document declares them (a JSON
/// value keeps its keys sorted).
pub fn render(doc: &Value, order: &[String]) -> String {
    let mut body = String::new();
    body.push_str(&format!("<h1>{}</h1>", text(doc.pointer("/info/title"))));
    if let Some(d) = doc.pointer("/info/description").and_then(Value::as_str) {
        body.push_str(&paragraphs(d));
    }
    body.push_str("<p>Документ OpenAPI 3.1: <a href=\"/api/v1/openapi.json\"><code>/api/v1/openapi.json</code></a>.</p>");
    body.push_str("<h2>Запросы</h2>");
    for path in order {
        let Some(item) = doc.get("paths").and_then(|p| p.get(path)) else { continue };
        for method in ["get", "post", "put", "patch", "delete"] {
            if let Some(op) = item.get(method) {
                body.push_str(&operation(path, method, op));
            }
        }
    }
    body.push_str("<h2>Схемы</h2>");
    if let Some(schemas) = doc.pointer("/components/schemas").and_then(Value::as_object) {
        for (name, s) in schemas {
            body.push_str(&schema(name, s));
        }
    }
    format!(
        "<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{title}</title><style>{STYLE}</style></head><body><main>{body}</main></body></html>",
        title = text(doc.pointer("/info/title")),
    )
}

const STYLE: &str = "body{font:15px/1.5 system-ui,sans-serif;color:#1d2733;margin:0;background:#f6f7f9}\
main{max-width:1100px;margin:0 auto;padding:16px 20px 48px}\
h1{font-size:26px}h2{margin-top:32px;border-bottom:1px solid #d5dae0}h3{font-size:17px;margin:0 0 6px}\
section{background:#fff;border:1px solid #e1e5ea;border-radius:6px;padding:12px 14px;margin:12px 0}\
table{border-collapse:collapse;width:100%;margin:8px 0;font-size:14px}caption{text-align:left;font-weight:600;padding:4px 0}\
th,td{border-bottom:1px solid #e8ebef;padding:4px 8px;text-align:left;vertical-align:top}\
code{font-family:ui-monospace,monospace;font-size:13px}.m{display:inline-block;min-width:48px;text-align:center;\
border-radius:4px;padding:1px 6px;color:#fff;font-size:13px}.get{background:#2f6fb0}.post{background:#2e8b57}\
@media (max-width:600px){table{display:block;overflow-x:auto}}";

/// The page, written once.
fn page_text() -> &'static str {
    static PAGE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PAGE.get_or_init(|| render(super::openapi::json(), &super::openapi::path_order()))
}

pub async fn page() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"),
        ],
        page_text(),
    )
}
