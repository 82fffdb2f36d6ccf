//! Paginators: a list operation's pages (or their items) as a [`Stream`].
//!
//! A generated request whose spec has a `pagination` block implements
//! [`Paginate`]: a few one-line functions saying where its token or page
//! number goes, where the next token, the total count and the items are in
//! a response. Everything else is here, once for every operation:
//! [`Paginator`] sends the request through the usual call path
//! ([`Bound::send_owned`], so signing, retries and errors are those of
//! `send`), then the next one, and so on, and stops
//!
//! - (token paging) when a response has no next token, an empty one, or one
//!   already seen: a service that repeats a token cannot loop it forever;
//! - when the items counted reach the response's total count (for operations
//!   whose spec names one: page-number paging, usually);
//! - when a page has no items, or says no more follow (`has_more` false);
//! - after the first error, which is yielded as the stream's last element.
//!
//! ```no_run
//! # async fn demo<O: acsgen_runtime::paginate::Paginate>(paginator: acsgen_runtime::paginate::Paginator<O>)
//! # where O::Error: std::fmt::Debug {
//! use acsgen_runtime::paginate::TryStreamExt;
//! let mut items = paginator.items();
//! while let Some(item) = items.try_next().await.expect("a page") {
//!     let _ = item;
//! }
//! # }
//! ```

use std::collections::hash_map::RandomState;
use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::hash::BuildHasher;
use std::pin::Pin;
use std::task::{Context, Poll};

pub use futures_core::Stream;
pub use futures_util::{StreamExt, TryStreamExt};

use crate::client::{Bound, Operation, ResponseFuture};
use crate::error::{BuildError, SdkError};

/// The most pages a [`Paginator`] requests unless told otherwise
/// ([`Paginator::max_pages`]): a server that never marks a last page (it ignores
/// the page number, or invents tokens) ends the stream with an error.
pub const MAX_PAGES: u64 = 100_000;

/// How an operation pages, with the wire names a failure message needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// NextToken style: `input` is the request parameter taking the token read from
    /// the response field at `output` (a path such as `Data.NextToken`).
    Token {
        /// Wire name of the request parameter.
        input: &'static str,
        /// Path of the response field.
        output: &'static str,
    },
    /// PageNumber style: `parameter` takes the page number, 1 for the first page.
    PageNumber {
        /// Wire name of the request parameter.
        parameter: &'static str,
    },
}

/// A request that pages, implemented by generated request types (the unbound request,
/// like [`Operation`]). Each function is one field access; the paging logic is
/// [`Paginator`]'s. The provided functions answer "not given", for what an operation's
/// paging does not use (no total count, no token in page-number paging, ...).
pub trait Paginate: Operation + Clone {
    /// One element of a page's item list.
    type Item: Send + 'static;
    /// Token or page number, and the wire names involved.
    const PAGING: Paging;

    /// Token paging: puts the previous page's token on the request; `false` when it
    /// does not fit the parameter (an integer parameter and a token that is not one).
    /// Page-number paging never calls it.
    fn set_token(&mut self, token: &str) -> bool {
        let _ = token;
        false
    }
    /// Token paging: the next page's token in `response`, if any.
    fn next_token(response: &Self::Response) -> Option<String> {
        let _ = response;
        None
    }
    /// Page-number paging: the page number the request asks for, if set.
    fn page(&self) -> Option<u64> {
        None
    }
    /// Page-number paging: asks for page `page`; `false` when the number does not fit
    /// the parameter. Token paging never calls it.
    fn set_page(&mut self, page: u64) -> bool {
        let _ = page;
        false
    }
    /// The number of items over all pages, when the operation's responses say.
    fn total_count(response: &Self::Response) -> Option<u64> {
        let _ = response;
        None
    }
    /// `Some(false)` when the response says it is the last page, for operations whose
    /// responses say.
    fn has_more(response: &Self::Response) -> Option<bool> {
        let _ = response;
        None
    }
    /// The page's items.
    fn items(response: &Self::Response) -> &[Self::Item];
    /// The page's items, taken out of the response.
    fn into_items(response: Self::Response) -> Vec<Self::Item>;
}

/// A request field a token is written into (generated `set_token` bodies call this).
pub trait TokenSlot {
    /// Stores `token`; `false` when it does not fit the field's type.
    fn put_token(&mut self, token: &str) -> bool;
}

/// A request field holding a page number (generated `page`/`set_page` bodies).
pub trait PageSlot {
    /// The page number, when set and not negative.
    fn page(&self) -> Option<u64>;
    /// Stores `page`; `false` when it does not fit the field's type.
    fn put_page(&mut self, page: u64) -> bool;
}

/// A response value read as a token.
pub trait TokenValue {
    /// The token as text (integers in decimal).
    fn to_token(&self) -> String;
}

/// A response value read as a count of items.
pub trait CountValue {
    /// The count; `None` when negative.
    fn to_count(&self) -> Option<u64>;
}

impl TokenSlot for String {
    fn put_token(&mut self, token: &str) -> bool {
        token.clone_into(self);
        true
    }
}

impl TokenSlot for Option<String> {
    fn put_token(&mut self, token: &str) -> bool {
        *self = Some(token.to_owned());
        true
    }
}

impl TokenValue for String {
    fn to_token(&self) -> String {
        self.clone()
    }
}

macro_rules! integer_slots {
    ($($ty:ty),*) => {$(
        impl TokenSlot for $ty {
            fn put_token(&mut self, token: &str) -> bool {
                match token.trim().parse() {
                    Ok(value) => {
                        *self = value;
                        true
                    }
                    Err(_) => false,
                }
            }
        }

        impl TokenSlot for Option<$ty> {
            fn put_token(&mut self, token: &str) -> bool {
                let mut value: $ty = 0;
                let fits = value.put_token(token);
                if fits {
                    *self = Some(value);
                }
                fits
            }
        }

        impl PageSlot for $ty {
            fn page(&self) -> Option<u64> {
                u64::try_from(*self).ok()
            }

            fn put_page(&mut self, page: u64) -> bool {
                match <$ty>::try_from(page) {
                    Ok(value) => {
                        *self = value;
                        true
                    }
                    Err(_) => false,
                }
            }
        }

        impl PageSlot for Option<$ty> {
            fn page(&self) -> Option<u64> {
                self.as_ref().and_then(PageSlot::page)
            }

            fn put_page(&mut self, page: u64) -> bool {
                match <$ty>::try_from(page) {
                    Ok(value) => {
                        *self = Some(value);
                        true
                    }
                    Err(_) => false,
                }
            }
        }

        impl TokenValue for $ty {
            fn to_token(&self) -> String {
                self.to_string()
            }
        }

        impl CountValue for $ty {
            fn to_count(&self) -> Option<u64> {
                u64::try_from(*self).ok()
            }
        }
    )*};
}

integer_slots!(i32, i64);

/// What the paginator does next.
enum State<O: Operation> {
    /// Send the request it holds.
    Ready,
    /// A page is on its way.
    Waiting(ResponseFuture<O>),
    /// The next element is this error, then the stream ends.
    Failed(SdkError<O::Error>),
    /// The stream has ended.
    Done,
}

/// The pages of a list operation as a [`Stream`] of `Result<Response, SdkError<Error>>`,
/// from generated `into_paginator()` methods. Each page is requested once the previous
/// one was taken; see the [module docs](self) for when it stops. `Send` and
/// `'static`, so it can be moved to another task.
#[must_use = "streams do nothing unless polled"]
pub struct Paginator<O: Paginate> {
    bound: Bound,
    request: O,
    state: State<O>,
    /// Hashes of the tokens received so far (token paging): 8 bytes a page,
    /// however long the tokens a server sends.
    seen: HashSet<u64>,
    hasher: RandomState,
    /// Pages requested so far, and the most this paginator requests.
    pages: u64,
    max_pages: u64,
    /// Items received so far.
    counted: u64,
    /// Page number of the request held (page-number paging).
    page: u64,
}

// Nothing in a paginator is structurally pinned: the response future is boxed.
impl<O: Paginate> Unpin for Paginator<O> {}

impl<O: Paginate> fmt::Debug for Paginator<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            State::Ready => "ready",
            State::Waiting(_) => "waiting",
            State::Failed(_) => "failed",
            State::Done => "done",
        };
        f.debug_struct("Paginator")
            .field("action", &O::INFO.action)
            .field("state", &state)
            .field("items", &self.counted)
            .finish_non_exhaustive()
    }
}

impl<O: Paginate> Paginator<O> {
    /// Pages of `request`, sent with `bound`'s client and call options. The first page
    /// is the one `request` asks for (its token or page number, if set; else page 1).
    pub fn new(bound: Bound, mut request: O) -> Paginator<O> {
        let mut page = 1;
        let mut state = State::Ready;
        if let Paging::PageNumber { parameter } = O::PAGING {
            match request.page() {
                Some(start) if start >= 1 => page = start,
                _ => {
                    if !request.set_page(1) {
                        state = State::Failed(page_error::<O>(parameter, 1));
                    }
                }
            }
        }
        Paginator {
            bound,
            request,
            state,
            seen: HashSet::new(),
            hasher: RandomState::new(),
            pages: 1,
            max_pages: MAX_PAGES,
            counted: 0,
            page,
        }
    }

    /// Ends the stream with an error instead of requesting page `max + 1`
    /// (default [`MAX_PAGES`]): a bound for servers that never say "last page".
    pub fn max_pages(mut self, max: u64) -> Self {
        self.max_pages = max.max(1);
        self
    }

    /// The items of every page, in order, as a [`Stream`] of
    /// `Result<Item, SdkError<Error>>`; an error ends it as it ends the pages.
    pub fn items(self) -> Items<O> {
        Items {
            pages: self,
            current: Vec::new().into_iter(),
        }
    }

    /// Items received so far, over all pages.
    pub fn items_seen(&self) -> u64 {
        self.counted
    }

    /// Decides what follows `response`: prepares the next request, or ends.
    fn advance(&mut self, response: &O::Response) {
        let count = O::items(response).len() as u64;
        self.counted = self.counted.saturating_add(count);
        let total = O::total_count(response);
        let last = count == 0
            || O::has_more(response) == Some(false)
            || total.is_some_and(|total| self.counted >= total)
            // Every page so far held an item, so no more pages than items exist.
            || (matches!(O::PAGING, Paging::PageNumber { .. })
                && total.is_some_and(|total| self.page >= total));
        if last {
            self.state = State::Done;
            return;
        }
        if self.pages >= self.max_pages {
            self.state = State::Failed(SdkError::Build(BuildError {
                action: O::INFO.action,
                problem: format!(
                    "stopped after {} pages without a last page (Paginator::max_pages)",
                    self.pages
                ),
            }));
            return;
        }
        self.pages += 1;
        self.state = match O::PAGING {
            Paging::Token { input, output } => match O::next_token(response) {
                Some(token)
                    if !token.is_empty() && self.seen.insert(self.hasher.hash_one(&token)) =>
                {
                    if self.request.set_token(&token) {
                        State::Ready
                    } else {
                        State::Failed(SdkError::Build(BuildError {
                            action: O::INFO.action,
                            problem: format!(
                                "the next page's token {:?} (response field `{output}`) does not fit parameter `{input}`",
                                crate::text::clip_string(&token, 64, 16)
                            ),
                        }))
                    }
                }
                // No token, an empty one, or one seen before: the last page.
                _ => State::Done,
            },
            Paging::PageNumber { parameter } => match self.page.checked_add(1) {
                Some(next) if self.request.set_page(next) => {
                    self.page = next;
                    State::Ready
                }
                _ => State::Failed(page_error::<O>(parameter, self.page.saturating_add(1))),
            },
        };
    }
}

fn page_error<O: Paginate>(parameter: &str, page: u64) -> SdkError<O::Error> {
    SdkError::Build(BuildError {
        action: O::INFO.action,
        problem: format!("page number {page} does not fit parameter `{parameter}`"),
    })
}

impl<O: Paginate> Stream for Paginator<O> {
    type Item = Result<O::Response, SdkError<O::Error>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match &mut this.state {
                State::Done => return Poll::Ready(None),
                State::Failed(_) => {
                    let State::Failed(error) = std::mem::replace(&mut this.state, State::Done)
                    else {
                        unreachable!("matched just above")
                    };
                    return Poll::Ready(Some(Err(error)));
                }
                State::Ready => {
                    let future = this.bound.clone().send_owned(this.request.clone());
                    this.state = State::Waiting(future);
                }
                State::Waiting(future) => {
                    return match Pin::new(future).poll(cx) {
                        Poll::Pending => Poll::Pending,
                        Poll::Ready(Err(error)) => {
                            this.state = State::Done;
                            Poll::Ready(Some(Err(error)))
                        }
                        Poll::Ready(Ok(response)) => {
                            this.advance(&response);
                            Poll::Ready(Some(Ok(response)))
                        }
                    };
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self.state {
            State::Done => (0, Some(0)),
            State::Failed(_) => (1, Some(1)),
            _ => (0, None),
        }
    }
}

/// The items of a [`Paginator`]'s pages, one by one, from [`Paginator::items`].
#[must_use = "streams do nothing unless polled"]
pub struct Items<O: Paginate> {
    pages: Paginator<O>,
    current: std::vec::IntoIter<O::Item>,
}

impl<O: Paginate> Unpin for Items<O> {}

impl<O: Paginate> fmt::Debug for Items<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.current.len())
            .finish()
    }
}

impl<O: Paginate> Stream for Items<O> {
    type Item = Result<O::Item, SdkError<O::Error>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.current.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Some(Ok(page))) => this.current = O::into_items(page).into_iter(),
            }
        }
    }
}

/// Compile-time check: paginators can be moved to another task.
#[allow(dead_code, reason = "compile-time check only")]
fn _paginators_are_send<O: Paginate>(pages: Paginator<O>, items: Items<O>) {
    fn send<T: Send + 'static>(_: T) {}
    send(pages);
    send(items);
}
