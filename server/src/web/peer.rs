//! Puts the peer address where server functions find it (`app::auth::PeerIp`), for the
//! audit log.

use std::net::SocketAddr;

use app::auth::PeerIp;
use axum::extract::{ConnectInfo, Request};
use axum::middleware::Next;
use axum::response::Response;

pub async fn remember_peer(mut req: Request, next: Next) -> Response {
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default();
    req.extensions_mut().insert(PeerIp(ip));
    next.run(req).await
}
