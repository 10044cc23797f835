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

private:
    void dispatch(const ApiCallPtr &call);
    void dispatchNamespaces(const ApiCallPtr &call, const QStringList &segments);
    void authenticate(ApiCall &call);
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
