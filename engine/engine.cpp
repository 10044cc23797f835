// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine.h"

#include "resourcelocation.h"

#include "api/activitystream.h"
#include "api/apiserver.h"
#include "catalog/cataloginstaller.h"
#include "core/activator.h"
#include "core/firecommits.h"
#include "core/ids.h"
#include "core/keysfile.h"
#include "core/ratelimiter.h"
#include "core/resolver.h"
#include "httpserver.h"
#include "invoker/processinvoker.h"
#include "providers/alarmsprovider.h"
#include "providers/changesprovider.h"
#include "providers/feedservice.h"
#include "providers/sseprovider.h"
#include "store/activationstore.h"
#include "store/entitystore.h"
#include "store/pendingactivations.h"

#include <sys/resource.h>

namespace Feedscope::Engine {

namespace {

// Raises the soft limit on open files to the hard one (idle clients each hold a descriptor) and
// returns how many HTTP connections may be open at once: half of it, the rest being kept for the
// database, runtimes' pipes and the providers' own connections.
int connectionBudget()
{
    rlimit files{};
    if (::getrlimit(RLIMIT_NOFILE, &files) != 0)
        return 512;
    if (files.rlim_cur < files.rlim_max) {
        rlimit raised = files;
        raised.rlim_cur = files.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0)
            files = raised;
    }
    const rlim_t half = files.rlim_cur == RLIM_INFINITY ? 20000 : files.rlim_cur / 2;
    return int(qBound<rlim_t>(64, half, 10000));
}

} // namespace

Identity guestIdentity()
{
    return Identity{
        QStringLiteral("guest"),
        QStringLiteral("guest"),
        QStringLiteral("23bc46b1-71f6-4ed5-8c54-816aa4f8c502"),
        QStringLiteral("123zO3xZCLrMN6v2BKK1dXYFpXlPkccOFqm12CdAsMgRU4VrNZ9lyGVCGuMDGIwP")};
}

Identity whiskSystemIdentity()
{
    return Identity{
        QStringLiteral("whisk.system"),
        QStringLiteral("whisk.system"),
        QStringLiteral("789c46b1-71f6-4ed5-8c54-816aa4f8c502"),
        QStringLiteral("abczO3xZCLrMN6v2BKK1dXYFpXlPkccOFqm12CdAsMgRU4VrNZ9lyGVCGuMDGIwP")};
}

QString defaultResourcesDirectory()
{
    return resourcesDirectory();
}

namespace {

ProcessInvoker::Options invokerOptions(const EngineOptions &options)
{
    ProcessInvoker::Options o;
    o.resourcesDirectory = options.resourcesDirectory;
    o.maxContainers = options.maxContainers;
    o.idleTimeoutMs = options.idleTimeoutMs;
    o.prewarm = options.prewarm;
    o.defaultMemoryMb = options.limits.defaultMemoryMb;
    o.maxResultBytes = options.limits.maxResultBytes;
    return o;
}

} // namespace

// Members in construction order: each part only refers to parts declared before it.
struct Engine::Parts
{
    explicit Parts(const EngineOptions &options)
        : entities(db)
        , activations(db, options.activationRetention)
        , pending(db)
        , limiter(options.limits)
        , resolver(entities)
        , invoker(invokerOptions(options))
        , activator(activations, pending, limiter, options.limits, invoker, resolver)
        , activity(db)
        , services{db,
                   entities,
                   activations,
                   resolver,
                   activator,
                   limiter,
                   options.limits,
                   invoker,
                   activity,
                   fireCommits}
        , api(services)
        , feeds(services)
    {
        activations.onInserted = [this](const Activation &a) {
            activity.publish(a);
        };
        feeds.addProvider(new AlarmsProvider(feeds));
        feeds.addProvider(new ChangesProvider(feeds));
        feeds.addProvider(new SseProvider(feeds));
        api.setFeedService(&feeds);
    }

    Database db;
    EntityStore entities;
    ActivationStore activations;
    PendingActivations pending;
    RateLimiter limiter;
    Resolver resolver;
    ProcessInvoker invoker;
    Activator activator;
    ActivityStream activity;
    FireCommits fireCommits;
    Services services;
    ApiServer api;
    FeedService feeds;
    std::unique_ptr<Http::Server> http;
};

Engine::Engine(EngineOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    if (m_options.resourcesDirectory.isEmpty())
        m_options.resourcesDirectory = defaultResourcesDirectory();
}

Engine::~Engine()
{
    stop();
}

bool Engine::start(QString *error)
{
    if (m_options.identities.isEmpty())
        m_options.identities = {guestIdentity(), whiskSystemIdentity()};
    const QHostAddress bindAddress(m_options.host);
    if (!bindAddress.isLoopback()) {
        // The engine runs arbitrary code for whoever holds a key; on loopback that is this
        // machine's users, elsewhere anyone who can reach the port.
        if (!m_options.allowRemote) {
            *error = QStringLiteral("refusing to listen on %1: it is not a loopback address, so "
                                    "other machines could run code here. Pass --allow-remote "
                                    "(with --keys FILE) if that is what you want.")
                         .arg(m_options.host);
            return false;
        }
        for (const Identity &identity : std::as_const(m_options.identities)) {
            if (KeysFile::isWellKnown(identity)) {
                *error = QStringLiteral(
                             "refusing to listen on %1 with the well-known %2 key, which anyone "
                             "can read in the OpenWhisk sources. Give your own keys with --keys "
                             "FILE (feedscope-engine --write-keys FILE makes some).")
                             .arg(m_options.host, identity.ns);
                return false;
            }
        }
    }
    m_parts = std::make_unique<Parts>(m_options);
    if (!m_parts->db.open(m_options.dataDirectory, m_options.durability, error))
        return false;
    if (!m_parts->entities.load(error))
        return false;
    // Activations the previous run accepted and did not finish get their failure records before
    // anything can ask for them (PendingActivations).
    m_repairedAtStart
        = m_parts->pending.repair(m_parts->activations, m_parts->db.lastWriteBeforeOpen());
    if (m_repairedAtStart < 0 || !m_parts->pending.load()) {
        *error = QStringLiteral("cannot record the activations the previous run left unfinished");
        return false;
    }
    m_parts->db.onCommitted = [this](bool committed) {
        // A failed commit rolled back SQLite; reload so memory matches what is on disk.
        QString reloadError;
        if (!committed && !m_parts->entities.load(&reloadError))
            qWarning("feedscope-engine: reload after failed commit: %s", qPrintable(reloadError));
    };
    for (const Identity &identity : std::as_const(m_options.identities))
        m_parts->entities.setSubject(identity);
    CatalogInstaller catalog(m_parts->entities,
                             m_options.resourcesDirectory + QStringLiteral("/catalog"));
    if (!catalog.install(error))
        return false;
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
    httpLimits.maxBodyBytes
        = m_options.limits.maxCodeBytes + 2 * m_options.limits.maxPayloadBytes + 64 * 1024;
    // Smaller per route, and none read at all from a request refused by its head alone.
    httpLimits.inspectHead = [parts](const Http::Request &head) {
        return parts->api.inspectHead(head);
    };
    // Clients idle longer than a minute reconnect (the app's own pool closes after 30 s); a
    // request has two minutes to arrive whole, enough for 48 MB of code on any local link.
    httpLimits.idleTimeoutMs = 60 * 1000;
    httpLimits.requestTimeoutMs = 120 * 1000;
    httpLimits.maxConnections = connectionBudget();
    m_parts->http->setLimits(httpLimits);
    if (!m_parts->http->listen(QHostAddress(m_options.host), m_options.port)) {
        *error = QStringLiteral("cannot listen on %1:%2: %3")
                     .arg(m_options.host)
                     .arg(m_options.port)
                     .arg(m_parts->http->errorString());
        return false;
    }
    m_parts->api.setRequestGuard(
        RequestGuard(bindAddress, m_parts->http->port(), m_options.allowedHosts));
    m_parts->invoker.setApiHost(url());
    m_parts->feeds.start(url());
    return true;
}

void Engine::stop()
{
    if (!m_parts)
        return;
    m_parts->activator.abandon();
    m_parts->db.commit();
}

quint16 Engine::port() const
{
    return m_parts && m_parts->http ? m_parts->http->port() : 0;
}

QString Engine::url() const
{
    const QString host
        = m_options.host.contains(u':') ? u'[' + m_options.host + u']' : m_options.host;
    return QStringLiteral("http://%1:%2").arg(host).arg(port());
}

} // namespace Feedscope::Engine
