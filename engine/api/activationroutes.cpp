// SPDX-License-Identifier: GPL-3.0-or-later
#include "activationroutes.h"

#include "activitystream.h"
#include "core/apierror.h"
#include "core/enginelimits.h"
#include "entityname.h"
#include "http/websocket.h"
#include "routesupport.h"
#include "store/activationstore.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace Feedscope::Engine {

using namespace RouteSupport;

namespace {

QString validatedId(const QString &id)
{
    if (id.size() != 32) {
        throw ApiError{400,
                       QStringLiteral("Activation id length is %1 but must be 32.").arg(id.size())};
    }
    static const QRegularExpression hex(QStringLiteral("^[0-9a-f]{32}$"));
    if (!hex.match(id).hasMatch())
        throw ApiError{400, QStringLiteral("The activation id is not valid.")};
    return id;
}

qint64 epochParameter(const ApiCall &call, const QString &name)
{
    const auto text = call.query(name);
    if (!text || text->isEmpty())
        return 0;
    bool ok = false;
    const qint64 value = text->toLongLong(&ok);
    if (!ok || value < 0) {
        throw ApiError{400,
                       QStringLiteral("The query parameter '%1' was malformed:\n"
                                      "Parameter is not a valid value for epoch seconds: %2")
                           .arg(name, *text)};
    }
    return value;
}

} // namespace

ActivationRoutes::ActivationRoutes(Services &services)
    : m_s(services)
{}

void ActivationRoutes::handle(const ApiCallPtr &call)
{
    requireMethod(*call, {"GET"});
    requireOwner(*call, call->ns);
    const QStringList &rest = call->rest;
    if (rest.isEmpty() || (rest.size() == 1 && rest[0].isEmpty())) {
        if (Http::isWebSocketUpgrade(call->request())) {
            // The activity stream, our extension (see ActivityStream).
            if (QTcpSocket *socket = call->upgrade(Http::webSocketAcceptResponse(call->request())))
                m_s.activity.subscribe(call->ns, socket, call->queryFlag(QStringLiteral("docs")));
            return;
        }
        list(call);
        return;
    }
    if (rest.size() > 2 || (rest.size() == 2 && rest[1] != u"logs" && rest[1] != u"result"))
        throw ApiError{404, QStringLiteral("The requested resource could not be found.")};
    const auto activation = m_s.activations.get(call->ns, validatedId(rest[0]));
    if (!activation)
        throw ApiError{404, Messages::notFound};
    if (rest.size() == 1)
        call->respond(200, activation->toExtendedJson());
    else if (rest[1] == u"logs")
        call->respond(
            200,
            QJsonObject{{QStringLiteral("logs"), QJsonArray::fromStringList(activation->logs)}});
    else
        call->respond(200, activation->responseJson());
}

void ActivationRoutes::list(const ApiCallPtr &call)
{
    const ListParams params = listParams(*call, QStringLiteral("activations"));
    const bool docs = call->queryFlag(QStringLiteral("docs"));
    if (docs && params.count)
        throw ApiError{400, QStringLiteral("The parameter 'docs' is not permitted with 'count'.")};

    ActivationQuery query;
    query.ns = call->ns;
    query.name = call->query(QStringLiteral("name")).value_or(QString()).trimmed();
    if (!query.name.isEmpty()) {
        const QStringList parts = query.name.split(u'/');
        bool valid = parts.size() <= 2;
        for (const QString &part : parts)
            valid = valid && isValidEntityName(part);
        if (!valid) {
            throw ApiError{400,
                           QStringLiteral("The query parameter 'name' was malformed:\n"
                                          "Parameter may be a 'simple' name or "
                                          "'package-name/simple' name: %1")
                               .arg(query.name)};
        }
    }
    query.since = epochParameter(*call, QStringLiteral("since"));
    query.upto = epochParameter(*call, QStringLiteral("upto"));
    query.skip = params.skip;
    query.limit = params.limit;

    if (params.count) {
        call->respond(200,
                      QJsonObject{{QStringLiteral("activations"), m_s.activations.count(query)}});
        return;
    }
    QJsonArray items;
    for (const Activation &a : m_s.activations.list(query))
        items.append(docs ? a.toExtendedJson() : a.toSummaryJson());
    call->respond(200, items);
}

} // namespace Feedscope::Engine
