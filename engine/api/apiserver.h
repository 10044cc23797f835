// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "actionroutes.h"
#include "activationroutes.h"
#include "packageroutes.h"
#include "requestguard.h"
#include "ruleroutes.h"
#include "services.h"
#include "triggerroutes.h"

#include <QHash>

namespace Feedscope::Engine {

// The front door of the REST API: discovery routes, Basic authentication, the `_` namespace,
// dispatch to the collection routes, and the mapping of every failure to {error, code}.
class ApiServer
{
public:
    explicit ApiServer(Services &services);
    // Routes /feedscope/v1/providers/... to the built-in providers' API.
    void setFeedService(class FeedService *feeds) { m_feeds = feeds; }
    // Refuses requests from web pages (Host / Origin checks); none until set.
    void setRequestGuard(const RequestGuard &guard) { m_guard = guard; }

    void handle(Http::Request &&request, const Http::Reply &reply);
    // Judges a request from its head before its body is read (Http::Limits::inspectHead): a
    // web page's request or one without a valid key is refused with the status handle() would
    // give it, so its body is never read, and each route gets the body limit it needs —
    // only an action PUT may carry code, every other body holds at most parameters and
    // annotations — so a larger body is refused after that much, not after 50 MB.
    Http::HeadVerdict inspectHead(const Http::Request &head);

private:
    void dispatch(const ApiCallPtr &call);
    void dispatchNamespaces(const ApiCallPtr &call, const QStringList &segments);
    void authenticate(ApiCall &call);
    // The identity an Authorization header names; throws ApiError 401 otherwise.
    Identity identityOf(const QByteArray &authorization);
    QJsonObject discovery() const;

    Services &m_s;
    ActionRoutes m_actions;
    PackageRoutes m_packages;
    TriggerRoutes m_triggers;
    RuleRoutes m_rules;
    ActivationRoutes m_activations;
    // Authorization header → identity; saves decoding and a map lookup on hot paths.
    QHash<QByteArray, Identity> m_authCache;
    class FeedService *m_feeds = nullptr;
    RequestGuard m_guard;
};

} // namespace Feedscope::Engine
