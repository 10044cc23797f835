// SPDX-License-Identifier: GPL-3.0-or-later
#include "apiharness.h"

#include "api/activitystream.h"
#include "api/apiserver.h"
#include "core/activator.h"
#include "core/enginelimits.h"
#include "core/firecommits.h"
#include "core/ratelimiter.h"
#include "core/resolver.h"
#include "engine.h"
#include "invoker/invoker.h"
#include "store/activationstore.h"
#include "store/database.h"
#include "store/entitystore.h"
#include "store/pendingactivations.h"

#include <QCoreApplication>
#include <QTemporaryDir>

#include <cstdio>
#include <cstdlib>

namespace Feedscope::Fuzz {

using namespace Feedscope::Engine;

namespace {

// Every kind can "run": the validation of each kind is reached. Nothing is ever run, since the
// fuzz targets only PUT and list.
class IdleInvoker : public Invoker
{
public:
    void run(const Invocation &, std::function<void(InvocationOutcome)> done) override
    {
        done(InvocationOutcome{});
    }
    QJsonObject runtimes() const override { return {}; }
    std::optional<QString> unavailableReason(const QString &) const override
    {
        return std::nullopt;
    }
};

// Qt's warnings (a refused statement, an internal error the dispatcher logged) would flood the
// fuzzer's output; fatal messages still abort.
void quietMessages(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (type == QtFatalMsg) {
        std::fprintf(stderr, "%s\n", qPrintable(message));
        std::abort();
    }
}

QByteArray basicAuth(const Identity &identity)
{
    return "Basic " + identity.authKey().toUtf8().toBase64();
}

int argc = 1;
char programName[] = "fuzz";
char *argv[] = {programName, nullptr};

} // namespace

struct ApiHarness::Parts
{
    Parts()
        : app(argc, argv)
        , limits(*EngineLimits::forProfile(QStringLiteral("local")))
        , entities(db)
        , activations(db, 1000)
        , pending(db)
        , limiter(limits)
        , resolver(entities)
        , activator(activations, pending, limiter, limits, invoker, resolver)
        , activity(db)
        , services{db,
                   entities,
                   activations,
                   resolver,
                   activator,
                   limiter,
                   limits,
                   invoker,
                   activity,
                   fireCommits}
        , api(services)
    {}

    QCoreApplication app;
    QTemporaryDir directory;
    EngineLimits limits;
    Database db;
    EntityStore entities;
    ActivationStore activations;
    PendingActivations pending;
    RateLimiter limiter;
    Resolver resolver;
    IdleInvoker invoker;
    Activator activator;
    ActivityStream activity;
    FireCommits fireCommits;
    Services services;
    ApiServer api;
    QHash<QString, Entity> seed; // docId → entity as seeded
};

ApiHarness &ApiHarness::instance()
{
    static ApiHarness harness;
    return harness;
}

ApiHarness::ApiHarness()
    : m_parts(std::make_unique<Parts>())
{
    qInstallMessageHandler(quietMessages);
    Parts &p = *m_parts;
    QString error;
    if (!p.directory.isValid() || !p.db.open(p.directory.path(), Durability::Process, &error)
        || !p.entities.load(&error) || !p.pending.load()) {
        std::fprintf(stderr, "fuzz: cannot open the store: %s\n", qPrintable(error));
        std::abort();
    }
    p.entities.setSubject(guestIdentity());
    p.entities.setSubject(whiskSystemIdentity());

    const auto put = [&p](const Identity &as, const QByteArray &target, const QByteArray &body) {
        Http::Request r;
        r.method = "PUT";
        r.path = target;
        r.headers = {{"authorization", basicAuth(as)}};
        r.body = body;
        p.api.handle(std::move(r), Http::Reply());
    };
    const Identity guest = guestIdentity();
    const QByteArray ns = "/api/v1/namespaces/_/";
    put(whiskSystemIdentity(), ns + "packages/shared", R"({"publish":true})");
    put(whiskSystemIdentity(),
        ns + "actions/shared/tool",
        R"({"exec":{"kind":"nodejs:20","code":"function main(p){return p}"}})");
    put(guest,
        ns + "actions/hello",
        R"({"exec":{"kind":"nodejs:20","code":"function main(p){return p}"},)"
        R"("parameters":[{"key":"x","value":1}],"annotations":[{"key":"a","value":"b"}]})");
    put(guest, ns + "packages/pkg", R"({"parameters":[{"key":"p","value":"q"}]})");
    put(guest,
        ns + "actions/pkg/inner",
        R"({"exec":{"kind":"python:3","code":"def main(a):\n  return a\n"}})");
    put(guest, ns + "packages/bound", R"({"binding":{"namespace":"_","name":"pkg"}})");
    put(guest,
        ns + "actions/seq",
        R"({"exec":{"kind":"sequence","components":["/_/hello","/_/pkg/inner"]}})");
    put(guest, ns + "triggers/door", R"({"parameters":[{"key":"t","value":true}]})");
    put(guest, ns + "rules/door-hello", R"({"trigger":"door","action":"hello"})");
    p.db.commit();
    for (const char *id : {"guest/hello", "guest/pkg", "guest/pkg/inner", "guest/bound",
                           "guest/seq", "guest/door", "guest/door-hello", "whisk.system/shared"}) {
        const Entity *entity = p.entities.find(QString::fromLatin1(id));
        if (!entity) {
            std::fprintf(stderr, "fuzz: seeding %s failed\n", id);
            std::abort();
        }
        p.seed.insert(entity->docId, *entity);
    }

    // A few activations for the list queries to find, filter and page through.
    const char *names[] = {"hello", "inner", "door", "hello", "seq"};
    for (int i = 0; i < 5; ++i) {
        Activation a;
        a.ns = QStringLiteral("guest");
        a.name = QString::fromLatin1(names[i]);
        a.package = i == 1 ? QStringLiteral("pkg") : QString();
        a.subject = QStringLiteral("guest");
        a.activationId = QStringLiteral("0123456789abcdef0123456789abcde%1").arg(i);
        a.start = 1700000000000 + i * 1000;
        a.end = a.start + 5;
        a.logs = {QStringLiteral("2024-01-01T00:00:00.000000000Z stdout: hi")};
        p.activations.insert(a);
    }
    p.db.commit();
}

ApiHarness::~ApiHarness() = default;

void ApiHarness::request(const QByteArray &method, const QByteArray &target, const QByteArray &body)
{
    Http::Request r;
    const qsizetype question = target.indexOf('?');
    r.method = method;
    r.path = question < 0 ? target : target.left(question);
    r.query = question < 0 ? QByteArray() : target.mid(question + 1);
    r.headers = {{"authorization", basicAuth(guestIdentity())}};
    r.body = body;
    m_parts->api.handle(std::move(r), Http::Reply());
}

void ApiHarness::reset()
{
    Parts &p = *m_parts;
    // Ids first: removing moves the store's other entries.
    QStringList added;
    for (const QString &ns : {QStringLiteral("guest"), QStringLiteral("whisk.system")}) {
        for (const Collection c :
             {Collection::Actions, Collection::Packages, Collection::Triggers, Collection::Rules}) {
            for (const Entity *e : p.entities.listUnder(c, ns)) {
                if (!p.seed.contains(e->docId))
                    added.append(e->docId);
            }
        }
    }
    for (const QString &docId : std::as_const(added))
        p.entities.remove(docId);
    for (const Entity &seeded : std::as_const(p.seed)) {
        const Entity *now = p.entities.find(seeded.docId);
        if (!now || now->collection != seeded.collection || now->doc != seeded.doc)
            p.entities.put(seeded);
    }
    if (p.db.hasPendingWrites())
        p.db.commit();
}

} // namespace Feedscope::Fuzz
