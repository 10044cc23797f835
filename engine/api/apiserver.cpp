// SPDX-License-Identifier: GPL-3.0-or-later
#include "apiserver.h"

#include "core/apierror.h"
#include "core/enginelimits.h"
#include "invoker/invoker.h"
#include "providers/feedservice.h"
#include "routesupport.h"
#include "store/entitystore.h"

#include <QJsonArray>

namespace Feedscope::Engine {

using namespace RouteSupport;

namespace {

const QString couldNotBeFound = QStringLiteral("The requested resource could not be found.");

QStringList decodedSegments(const QByteArray &path)
{
    QStringList segments;
    const QList<QByteArray> raw = path.split('/');
    for (qsizetype i = 1; i < raw.size(); ++i) // raw[0] is the empty text before the first '/'
        segments.append(QString::fromUtf8(QByteArray::fromPercentEncoding(raw[i])));
    return segments;
}

} // namespace

ApiServer::ApiServer(Services &services)
    : m_s(services)
    , m_actions(services)
    , m_packages(services)
    , m_triggers(services)
    , m_rules(services)
    , m_activations(services)
{}

void ApiServer::handle(Http::Request &&request, const Http::Reply &reply)
{
    auto call = std::make_shared<ApiCall>(std::move(request), reply, m_s.db);
    try {
        if (const auto refusal = m_guard.refusal(call->request()))
            throw ApiError{403, *refusal};
        dispatch(call);
    } catch (const ApiError &error) {
        call->respondError(error.status, error.message, error.allow);
    } catch (const std::exception &e) {
        qWarning("feedscope-engine: internal error: %s", e.what());
        call->respondError(500, Messages::internalError);
    }
}

QJsonObject ApiServer::discovery() const
{
    return QJsonObject{
        {QStringLiteral("description"), QStringLiteral("OpenWhisk")},
        {QStringLiteral("support"),
         QJsonObject{{QStringLiteral("github"),
                      QStringLiteral("feedscope-engine: a local OpenWhisk-compatible server")}}},
        {QStringLiteral("api_paths"), QJsonArray{QStringLiteral("/api/v1")}},
        {QStringLiteral("limits"), m_s.limits.discoveryLimitsJson()},
        {QStringLiteral("runtimes"), m_s.invoker.runtimes()},
    };
}

void ApiServer::dispatch(const ApiCallPtr &call)
{
    const QByteArray &path = call->request().path;
    if (path == "/" || path.isEmpty()) {
        requireMethod(*call, {"GET"});
        call->respond(200, discovery());
        return;
    }
    if (path == "/ping") {
        requireMethod(*call, {"GET"});
        call->respondText(200, "pong");
        return;
    }
    const QStringList segments = decodedSegments(path);
    if (m_feeds && segments.size() >= 3 && segments[0] == u"feedscope" && segments[1] == u"v1"
        && segments[2] == u"providers") {
        authenticate(*call);
        m_feeds->handle(call, segments.mid(3));
        return;
    }
    if (segments.size() < 2 || segments[0] != u"api" || segments[1] != u"v1")
        throw ApiError{404, couldNotBeFound};
    if (segments.size() == 2 || (segments.size() == 3 && segments[2].isEmpty())) {
        requireMethod(*call, {"GET"});
        call->respond(200,
                      QJsonObject{{QStringLiteral("description"), QStringLiteral("OpenWhisk API")},
                                  {QStringLiteral("api_version"), QStringLiteral("1.0.0")},
                                  {QStringLiteral("api_version_path"), QStringLiteral("v1")},
                                  {QStringLiteral("build"), QStringLiteral(FEEDSCOPE_VERSION)},
                                  {QStringLiteral("buildno"), QStringLiteral(FEEDSCOPE_VERSION)},
                                  {QStringLiteral("swagger_paths"), QJsonObject()}});
        return;
    }
    if (segments[2] != u"namespaces")
        throw ApiError{404, couldNotBeFound};
    authenticate(*call);
    dispatchNamespaces(call, segments.mid(3));
}

Http::HeadVerdict ApiServer::inspectHead(const Http::Request &head)
{
    // Bodies other than an action's hold parameters and annotations (each up to the payload
    // limit, checked again by the routes with their own messages) in JSON framing.
    const qint64 smallBody = 2 * m_s.limits.maxPayloadBytes + 64 * 1024;
    Http::HeadVerdict verdict;
    verdict.maxBodyBytes = smallBody;
    try {
        if (const auto refusal = m_guard.refusal(head))
            throw ApiError{403, *refusal};
        const QStringList segments = decodedSegments(head.path);
        const bool api = segments.size() >= 3 && segments[0] == u"api" && segments[1] == u"v1"
                         && segments[2] == u"namespaces";
        const bool providers = segments.size() >= 3 && segments[0] == u"feedscope"
                               && segments[1] == u"v1" && segments[2] == u"providers";
        if (api || providers)
            identityOf(head.header("authorization"));
        // PUT /api/v1/namespaces/{ns}/actions/{name} or .../actions/{package}/{name}
        if (api && head.method == "PUT" && segments.size() >= 6 && segments[4] == u"actions")
            verdict.maxBodyBytes = m_s.limits.maxCodeBytes + smallBody;
    } catch (const ApiError &error) {
        verdict.refusalStatus = error.status;
        verdict.refusalMessage = error.message;
    }
    return verdict;
}

void ApiServer::authenticate(ApiCall &call)
{
    call.identity = identityOf(call.request().header("authorization"));
}

Identity ApiServer::identityOf(const QByteArray &header)
{
    if (header.isEmpty())
        throw ApiError{401, Messages::authMissing};
    const auto cached = m_authCache.constFind(header);
    if (cached != m_authCache.cend())
        return *cached;
    if (!header.startsWith("Basic ") && !header.startsWith("basic "))
        throw ApiError{401, Messages::authInvalid};
    const QByteArray decoded = QByteArray::fromBase64(header.mid(6).trimmed());
    const qsizetype colon = decoded.indexOf(':');
    if (colon < 0)
        throw ApiError{401, Messages::authInvalid};
    const auto identity = m_s.entities.subjectByUuid(QString::fromUtf8(decoded.left(colon)));
    if (!identity || identity->key != QString::fromUtf8(decoded.mid(colon + 1)))
        throw ApiError{401, Messages::authInvalid};
    if (m_authCache.size() > 1000)
        m_authCache.clear();
    m_authCache.insert(header, *identity);
    return *identity;
}

void ApiServer::dispatchNamespaces(const ApiCallPtr &call, const QStringList &segments)
{
    if (segments.isEmpty() || (segments.size() == 1 && segments[0].isEmpty())) {
        requireMethod(*call, {"GET"});
        call->respond(200, QJsonArray{call->identity.ns});
        return;
    }
    const QString &ns = segments[0];
    if (ns != DefaultNamespace && !isValidEntityName(ns))
        throw ApiError{400, QStringLiteral("The namespace contains illegal characters.")};
    call->ns = ns == DefaultNamespace ? call->identity.ns : ns;
    if (segments.size() < 2)
        throw ApiError{404, couldNotBeFound};
    const QString &collection = segments[1];
    call->rest = segments.mid(2);

    if (collection == u"actions") {
        m_actions.handle(call);
    } else if (collection == u"packages") {
        m_packages.handle(call);
    } else if (collection == u"triggers") {
        m_triggers.handle(call);
    } else if (collection == u"rules") {
        m_rules.handle(call);
    } else if (collection == u"activations") {
        m_activations.handle(call);
    } else if (collection == u"limits" && call->rest.isEmpty()) {
        requireMethod(*call, {"GET"});
        requireOwner(*call, call->ns);
        call->respond(200, m_s.limits.namespaceLimitsJson());
    } else {
        throw ApiError{404, couldNotBeFound};
    }
}

} // namespace Feedscope::Engine
