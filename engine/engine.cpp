// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine.h"

#include "api/apiserver.h"
#include "core/activator.h"
#include "core/ids.h"
#include "core/ratelimiter.h"
#include "core/resolver.h"
#include "http/httpserver.h"
#include "invoker/unavailableinvoker.h"
#include "store/activationstore.h"
#include "store/entitystore.h"

namespace Feedscope::Engine {

Identity guestIdentity()
{
    return Identity{QStringLiteral("guest"), QStringLiteral("guest"),
                    QStringLiteral("23bc46b1-71f6-4ed5-8c54-816aa4f8c502"),
                    QStringLiteral("123zO3xZCLrMN6v2BKK1dXYFpXlPkccOFqm12CdAsMgRU4VrNZ9lyGVCGuMDGIwP")};
}

Identity whiskSystemIdentity()
{
    return Identity{QStringLiteral("whisk.system"), QStringLiteral("whisk.system"),
                    QStringLiteral("789c46b1-71f6-4ed5-8c54-816aa4f8c502"),
                    QStringLiteral("abczO3xZCLrMN6v2BKK1dXYFpXlPkccOFqm12CdAsMgRU4VrNZ9lyGVCGuMDGIwP")};
}

// Members in construction order: each part only refers to parts declared before it.
struct Engine::Parts
{
    explicit Parts(const EngineOptions &options)
        : entities(db)
        , activations(db, options.activationRetention)
        , limiter(options.limits)
        , resolver(entities)
        , activator(activations, limiter, options.limits, invoker)
        , services{db, entities, activations, resolver, activator, limiter, options.limits, invoker}
        , api(services)
    {}

    Database db;
    EntityStore entities;
    ActivationStore activations;
    RateLimiter limiter;
    Resolver resolver;
    UnavailableInvoker invoker;
    Activator activator;
    Services services;
    ApiServer api;
    std::unique_ptr<Http::Server> http;
};

Engine::Engine(EngineOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{}

Engine::~Engine()
{
    stop();
}

bool Engine::start(QString *error)
{
    m_parts = std::make_unique<Parts>(m_options);
    if (!m_parts->db.open(m_options.dataDirectory, m_options.durability, error))
        return false;
    if (!m_parts->entities.load(error))
        return false;
    m_parts->db.onCommitted = [this](bool committed) {
        // A failed commit rolled back SQLite; reload so memory matches what is on disk.
        QString reloadError;
        if (!committed && !m_parts->entities.load(&reloadError))
            qWarning("feedscope-engine: reload after failed commit: %s", qPrintable(reloadError));
    };
    m_parts->entities.ensureSubject(guestIdentity());
    m_parts->entities.ensureSubject(whiskSystemIdentity());
    m_parts->db.commit();

    Parts *parts = m_parts.get();
    m_parts->http = std::make_unique<Http::Server>(
        [parts](Http::Request &&request, const Http::Reply &reply) {
            parts->api.handle(std::move(request), reply);
        },
        [](int status, const QString &message) {
            return ApiCall::errorResponse(status, message, newTransactionId());
        });
    Http::Limits httpLimits;
    // The largest acceptable request is an action PUT with 48 MB of code plus its JSON framing.
    httpLimits.maxBodyBytes = m_options.limits.maxCodeBytes + 2 * m_options.limits.maxPayloadBytes
                              + 64 * 1024;
    m_parts->http->setLimits(httpLimits);
    if (!m_parts->http->listen(QHostAddress(m_options.host), m_options.port)) {
        *error = QStringLiteral("cannot listen on %1:%2: %3")
                     .arg(m_options.host)
                     .arg(m_options.port)
                     .arg(m_parts->http->errorString());
        return false;
    }
    return true;
}

void Engine::stop()
{
    if (m_parts)
        m_parts->db.commit();
}

quint16 Engine::port() const
{
    return m_parts && m_parts->http ? m_parts->http->port() : 0;
}

QString Engine::url() const
{
    return QStringLiteral("http://%1:%2").arg(m_options.host).arg(port());
}

} // namespace Feedscope::Engine
