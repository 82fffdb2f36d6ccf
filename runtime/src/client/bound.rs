//! Calls that own what they need: [`Bound`] (a request tied to a client clone) and
//! [`ResponseFuture`], the named `Send + 'static` future generated `send` methods return.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::config::CallOptions;
use crate::encoding::params::Params;
use crate::error::{RawError, SdkError};
use crate::service::OperationInfo;

use super::finish::{finish, RawResponse};
use super::operation::Operation;
use super::Client;

/// The operation-independent part of a call (sign, send, retry, classify), boxed so it
/// is compiled once in this crate rather than once per operation.
type RawFuture = Pin<Box<dyn Future<Output = Result<RawResponse, RawError>> + Send>>;

/// The future of one call, what generated `send` methods return. It owns everything it
/// needs (`'static`) and is `Send`, so it can be spawned.
///
/// A named type rather than an `impl Future` per operation: the compiler then checks one
/// opaque type less per operation, and the only per-operation code is the decoding in
/// `poll`, compiled where the call is awaited.
#[must_use = "futures do nothing unless awaited"]
pub struct ResponseFuture<O: Operation> {
    raw: RawFuture,
    // `fn() -> O`: the future neither holds nor drops an `O`, so `Send`, `Sync` and
    // `Unpin` do not depend on it.
    operation: PhantomData<fn() -> O>,
}

impl<O: Operation> Future for ResponseFuture<O> {
    type Output = Result<O::Response, SdkError<O::Error>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.raw.as_mut().poll(cx).map(finish::<O>)
    }
}

impl<O: Operation> fmt::Debug for ResponseFuture<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseFuture")
            .field("action", &O::INFO.action)
            .finish_non_exhaustive()
    }
}

/// A request tied to a client: generated request types hold one and call
/// [`Bound::send_owned`]. Holds a clone of the client (an `Arc`), so a bound
/// request and its future borrow nothing.
#[derive(Clone, Debug)]
pub struct Bound {
    client: Client,
    options: CallOptions,
}

impl Bound {
    /// Binds to `client` with default call options.
    pub fn new(client: &Client) -> Bound {
        Bound {
            client: client.clone(),
            options: CallOptions::default(),
        }
    }

    /// The client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The call options.
    pub fn options(&self) -> &CallOptions {
        &self.options
    }

    /// The call options, to change them.
    pub fn options_mut(&mut self) -> &mut CallOptions {
        &mut self.options
    }

    /// Sends `op` with these options.
    pub async fn send<O: Operation>(&self, op: &O) -> Result<O::Response, SdkError<O::Error>> {
        self.client.send(op, &self.options).await
    }

    /// Sends `op`, taking both by value: the future generated `send` methods return.
    /// The parameters are taken now; nothing is sent until the future is polled.
    pub fn send_owned<O: Operation>(self, op: O) -> ResponseFuture<O> {
        ResponseFuture {
            raw: execute_owned(self.client, O::INFO, op.params(), self.options),
            operation: PhantomData,
        }
    }
}

fn execute_owned(
    client: Client,
    op: &'static OperationInfo,
    params: Params,
    options: CallOptions,
) -> RawFuture {
    Box::pin(async move { client.execute(op, &params, &options).await })
}
