// SPDX-License-Identifier: GPL-3.0-or-later
// The model's OpenWhisk REST client against a real feedscope-engine (PROTOCOL.md 1; STYLE.md
// 11-13): every WhiskClient call, its error paths, the entity parsers, the HTTP journal and its
// curl export, cancellation by context, timeouts and network failures.
#include "enginefixture.h"
#include "whiskclient.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QTimer>

#include <memory>
#include <optional>

using namespace Feedscope;
using namespace Feedscope::Testing;
using namespace Qt::StringLiterals;

namespace {

const QString slowCode =
    u"function main(){return new Promise(r=>setTimeout(()=>r({}),1500))}"_s;

// Runs `start(context, callback)` and spins a local event loop until the callback delivers (or
// `guardMs` passes, which yields a Protocol error saying so). The context dies on return, so a
// callback that never came cannot fire into a dead stack frame later.
template<typename T, typename Start>
Result<T> await(Start start, int guardMs = 30000)
{
    auto state = std::make_shared<std::optional<Result<T>>>();
    QEventLoop loop;
    QObject context;
    QTimer guard;
    guard.setSingleShot(true);
    QObject::connect(&guard, &QTimer::timeout, &loop, &QEventLoop::quit);
    start(&context, WhiskClient::Callback<T>([state, &loop](Result<T> r) {
              state->emplace(std::move(r));
              loop.quit();
          }));
    if (!state->has_value()) {
        guard.start(guardMs);
        loop.exec();
    }
    if (!state->has_value()) {
        WhiskError e;
        e.kind = WhiskError::Kind::Protocol;
        e.message = u"test: no callback within %1 ms"_s.arg(guardMs);
        return e;
    }
    return std::move(**state);
}

QString kindName(WhiskError::Kind kind)
{
    switch (kind) {
    case WhiskError::Kind::Http: return u"Http"_s;
    case WhiskError::Kind::Network: return u"Network"_s;
    case WhiskError::Kind::Timeout: return u"Timeout"_s;
    case WhiskError::Kind::Cancelled: return u"Cancelled"_s;
    case WhiskError::Kind::Protocol: return u"Protocol"_s;
    }
    return {};
}

template<typename T>
QByteArray describe(const Result<T> &r)
{
    if (r.ok())
        return "ok (expected an error)";
    return (kindName(r.error().kind) + u" "_s + QString::number(r.error().httpStatus) + u": "_s
            + r.error().message)
        .toUtf8();
}

#define VERIFY_OK(r) QVERIFY2((r).ok(), qPrintable((r).error().message))
#define VERIFY_FAILED(r) QVERIFY2(!(r).ok(), "expected an error, the call succeeded")

QualifiedName qn(const QString &name, const QString &package = {}, const QString &ns = u"_"_s)
{
    return QualifiedName{ns, package, name};
}

Action nodeActionEntity(const QString &code)
{
    Action a;
    a.kind = u"nodejs:20"_s;
    a.code = code;
    return a;
}

QString json(const QJsonValue &v)
{
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    return QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact));
}

bool isHex32(const QString &id)
{
    static const QRegularExpression hex(u"^[0-9a-f]{32}$"_s);
    return hex.match(id).hasMatch();
}

// Every text a journal entry keeps, for "the key is nowhere in it".
QByteArray entryText(const HttpJournal::Entry &e)
{
    QByteArray all = e.method + ' ' + e.url.toEncoded() + ' ' + e.url.toString().toUtf8() + ' '
                     + e.requestBody + ' ' + e.responseBody + ' ' + e.error.toUtf8() + ' '
                     + e.requestId.toUtf8();
    for (const auto &h : e.requestHeaders)
        all += ' ' + h.first + ": " + h.second;
    all += ' ' + HttpJournal::toCurl(e).toUtf8();
    return all;
}

int closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 1;
    const int port = server.serverPort();
    server.close();
    return port;
}

} // namespace

class TestWhiskClient : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;
    std::unique_ptr<WhiskClient> m_client;

    WhiskEndpoint endpoint(const QString &ns = u"_"_s) const
    {
        return WhiskEndpoint{m_engine.baseUrl(), QString::fromLatin1(guestKey), ns};
    }

    // Seeds an action through the raw fixture (not the client under test).
    void seedAction(const QString &path, const QString &code,
                    const QJsonArray &annotations = {})
    {
        QJsonObject body = nodeAction(code);
        if (!annotations.isEmpty())
            body.insert(u"annotations"_s, annotations);
        const HttpResult r =
            m_engine.put(u"/api/v1/namespaces/_/actions/"_s + path + u"?overwrite=true"_s, body);
        QVERIFY2(r.status == 200, r.body.constData());
    }

    Result<InvokeResult> invokeBlocking(const QString &name, const QJsonObject &params = {},
                                        bool resultOnly = false)
    {
        InvokeOptions o;
        o.blocking = true;
        o.result = resultOnly;
        return await<InvokeResult>([&](QObject *ctx, auto done) {
            m_client->invoke(*m_client->qualify(name), params, o, ctx, done);
        });
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));
    }

    void init()
    {
        m_client = std::make_unique<WhiskClient>();
        m_client->setEndpoint(endpoint());
    }

    void cleanup() { m_client.reset(); }

    // ---------------------------------------------------------------- endpoint and call()

    void endpointBaseUrl()
    {
        QCOMPARE((WhiskEndpoint{u"http://127.0.0.1:3233"_s, {}, u"_"_s}.baseUrl()),
                 u"http://127.0.0.1:3233/api/v1/"_s);
        QCOMPARE((WhiskEndpoint{u"http://127.0.0.1:3233//"_s, {}, u"_"_s}.baseUrl()),
                 u"http://127.0.0.1:3233/api/v1/"_s);
        QCOMPARE((WhiskEndpoint{u"openwhisk.example.org"_s, {}, u"_"_s}.baseUrl()),
                 u"https://openwhisk.example.org/api/v1/"_s);
    }

    void genericCall()
    {
        auto r = await<WhiskResponse>([&](QObject *ctx, auto done) {
            m_client->call("GET", u"namespaces"_s, {}, {}, u"Listing namespaces"_s, ctx, done);
        });
        VERIFY_OK(r);
        QCOMPARE(r->status, 200);
        QVERIFY(r->json.isArray());
        QVERIFY(!r->requestId.isEmpty());

        auto missing = await<WhiskResponse>([&](QObject *ctx, auto done) {
            m_client->call("GET", u"namespaces/_/actions/nope-generic"_s, {}, {},
                           u"Reading action 'nope-generic'"_s, ctx, done);
        });
        VERIFY_FAILED(missing);
        QCOMPARE(missing.error().kind, WhiskError::Kind::Http);
        QCOMPARE(missing.error().httpStatus, 404);
        QCOMPARE(missing.error().whiskError, u"The requested resource does not exist."_s);
        QCOMPARE(missing.error().message,
                 u"Reading action 'nope-generic' failed: 404 Not Found — The requested resource "
                 "does not exist."_s);
        QVERIFY(missing.error().body.isObject());
    }

    // ---------------------------------------------------------------- namespaces, limits

    void namespaces()
    {
        auto r = await<QStringList>(
            [&](QObject *ctx, auto done) { m_client->listNamespaces(ctx, done); });
        VERIFY_OK(r);
        QCOMPARE(*r, QStringList{u"guest"_s});
    }

    void limits()
    {
        auto r = await<QJsonObject>([&](QObject *ctx, auto done) { m_client->limits(ctx, done); });
        VERIFY_OK(r);
        for (const char *key : {"invocationsPerMinute", "concurrentInvocations", "firesPerMinute",
                                "maxActionMemory", "minActionMemory", "maxActionTimeout"}) {
            QVERIFY2(r->value(QLatin1String(key)).toInt() > 0, key);
        }

        // Also through the explicit namespace.
        m_client->setEndpoint(endpoint(u"guest"_s));
        auto named =
            await<QJsonObject>([&](QObject *ctx, auto done) { m_client->limits(ctx, done); });
        VERIFY_OK(named);
        QCOMPARE(named->value(u"invocationsPerMinute"_s), r->value(u"invocationsPerMinute"_s));
    }

    // ---------------------------------------------------------------- actions

    void actionCreateConflictGetListDelete()
    {
        Action a = nodeActionEntity(u"function main(p) { return {hello: p.name}; }"_s);
        a.parameters.set(u"name"_s, u"world"_s);
        a.annotations.set(u"description"_s, u"greets"_s);

        auto created = await<Action>([&](QObject *ctx, auto done) {
            m_client->putAction(qn(u"x"_s), a, false, ctx, done);
        });
        VERIFY_OK(created);
        QCOMPARE(created->name, u"x"_s);
        QCOMPARE(created->ns, u"guest"_s);
        QCOMPARE(created->version, u"0.0.1"_s);
        QCOMPARE(created->kind, u"nodejs:20"_s);
        QCOMPARE(created->code, a.code);
        QCOMPARE(created->parameters.value(u"name"_s), QJsonValue(u"world"_s));
        QCOMPARE(created->annotations.value(u"description"_s), QJsonValue(u"greets"_s));
        QCOMPARE(created->annotations.value(u"exec"_s), QJsonValue(u"nodejs:20"_s));
        QVERIFY(created->updated > 0);
        QCOMPARE(created->qualifiedName(), (QualifiedName{u"guest"_s, {}, u"x"_s}));

        // 409 without overwrite.
        auto conflict = await<Action>([&](QObject *ctx, auto done) {
            m_client->putAction(qn(u"x"_s), a, false, ctx, done);
        });
        VERIFY_FAILED(conflict);
        const WhiskError &e = conflict.error();
        QCOMPARE(e.kind, WhiskError::Kind::Http);
        QCOMPARE(e.httpStatus, 409);
        QCOMPARE(e.whiskError, u"resource already exists"_s);
        QCOMPARE(e.requestId.size(), 32);
        QCOMPARE(e.message, u"Creating action 'x' failed: 409 Conflict — resource already exists"_s);
        QCOMPARE(e.toString(), e.message);
        QCOMPARE(e.body.toObject().value(u"code"_s).toString(), e.requestId);

        // get with and without code
        auto withCode = await<Action>([&](QObject *ctx, auto done) {
            m_client->getAction(qn(u"x"_s), true, ctx, done);
        });
        VERIFY_OK(withCode);
        QCOMPARE(withCode->code, a.code);
        QCOMPARE(withCode->kind, u"nodejs:20"_s);
        QCOMPARE(withCode->limits.value(u"timeout"_s).toInt(), 60000);
        auto noCode = await<Action>([&](QObject *ctx, auto done) {
            m_client->getAction(qn(u"x"_s), false, ctx, done);
        });
        VERIFY_OK(noCode);
        QVERIFY(noCode->code.isEmpty());
        QCOMPARE(noCode->kind, u"nodejs:20"_s);
        QCOMPARE(noCode->name, u"x"_s);

        // Update bumps the version.
        a.code = u"function main() { return {v: 2}; }"_s;
        auto updated = await<Action>([&](QObject *ctx, auto done) {
            m_client->putAction(qn(u"x"_s), a, true, ctx, done);
        });
        VERIFY_OK(updated);
        QCOMPARE(updated->version, u"0.0.2"_s);
        QCOMPARE(updated->code, a.code);

        // list (summaries: no code), paging
        seedAction(u"x2"_s, u"function main(){return {}}"_s);
        auto list = await<QList<Action>>([&](QObject *ctx, auto done) {
            m_client->listActions({}, 0, 0, ctx, done);
        });
        VERIFY_OK(list);
        QStringList names;
        for (const Action &item : *list) {
            names << item.name;
            QVERIFY(item.code.isEmpty());
        }
        QVERIFY2(names.contains(u"x"_s) && names.contains(u"x2"_s), qPrintable(names.join(u',')));
        auto one = await<QList<Action>>([&](QObject *ctx, auto done) {
            m_client->listActions({}, 1, 0, ctx, done);
        });
        VERIFY_OK(one);
        QCOMPARE(one->size(), 1);
        auto skipped = await<QList<Action>>([&](QObject *ctx, auto done) {
            m_client->listActions({}, 1, 1, ctx, done);
        });
        VERIFY_OK(skipped);
        QCOMPARE(skipped->size(), 1);
        QVERIFY(skipped->first().name != one->first().name);

        // delete
        auto deleted = await<Action>([&](QObject *ctx, auto done) {
            m_client->deleteAction(qn(u"x"_s), ctx, done);
        });
        VERIFY_OK(deleted);
        QCOMPARE(deleted->name, u"x"_s);
        auto gone = await<Action>([&](QObject *ctx, auto done) {
            m_client->getAction(qn(u"x"_s), true, ctx, done);
        });
        VERIFY_FAILED(gone);
        QCOMPARE(gone.error().httpStatus, 404);
        QCOMPARE(gone.error().message,
                 u"Reading action 'x' failed: 404 Not Found — The requested resource does not "
                 "exist."_s);
        auto again = await<Action>([&](QObject *ctx, auto done) {
            m_client->deleteAction(qn(u"x"_s), ctx, done);
        });
        VERIFY_FAILED(again);
        QCOMPARE(again.error().httpStatus, 404);
        QVERIFY(again.error().message.startsWith(u"Deleting action 'x' failed: 404 Not Found"_s));
    }

    void actionRoundTrip()
    {
        QJsonObject body = nodeAction(u"function run(p) { return p; }"_s);
        body.insert(u"exec"_s, QJsonObject{{u"kind"_s, u"nodejs:20"_s},
                                           {u"code"_s, u"function run(p) { return p; }"_s},
                                           {u"main"_s, u"run"_s}});
        body.insert(u"parameters"_s,
                    QJsonArray{QJsonObject{{u"key"_s, u"n"_s}, {u"value"_s, 42}},
                               QJsonObject{{u"key"_s, u"nested"_s},
                                           {u"value"_s, QJsonObject{{u"a"_s, QJsonArray{1, u"b"_s}}}}}});
        body.insert(u"annotations"_s,
                    QJsonArray{QJsonObject{{u"key"_s, u"description"_s}, {u"value"_s, u"rt"_s}},
                               QJsonObject{{u"key"_s, u"web-export"_s}, {u"value"_s, false}}});
        body.insert(u"limits"_s, QJsonObject{{u"timeout"_s, 5000}, {u"memory"_s, 128},
                                             {u"logs"_s, 5}, {u"concurrency"_s, 1}});
        const HttpResult seeded =
            m_engine.put(u"/api/v1/namespaces/_/actions/roundtrip"_s, body);
        QCOMPARE(seeded.status, 200);

        auto first = await<Action>([&](QObject *ctx, auto done) {
            m_client->getAction(qn(u"roundtrip"_s), true, ctx, done);
        });
        VERIFY_OK(first);
        QCOMPARE(first->main, u"run"_s);
        QCOMPARE(first->parameters.value(u"n"_s).toInt(), 42);
        QCOMPARE(first->limits.value(u"memory"_s).toInt(), 128);

        const Action parsed = Action::fromJson(first->raw);
        auto put = await<Action>([&](QObject *ctx, auto done) {
            m_client->putAction(qn(u"roundtrip"_s), parsed, true, ctx, done);
        });
        VERIFY_OK(put);

        auto second = await<Action>([&](QObject *ctx, auto done) {
            m_client->getAction(qn(u"roundtrip"_s), true, ctx, done);
        });
        VERIFY_OK(second);
        QCOMPARE(json(second->raw.value(u"exec"_s)), json(first->raw.value(u"exec"_s)));
        QCOMPARE(json(second->raw.value(u"parameters"_s)), json(first->raw.value(u"parameters"_s)));
        QCOMPARE(json(second->raw.value(u"annotations"_s)),
                 json(first->raw.value(u"annotations"_s)));
        QCOMPARE(json(second->raw.value(u"limits"_s)), json(first->raw.value(u"limits"_s)));
        QCOMPARE(second->kind, first->kind);
        QCOMPARE(second->code, first->code);
        QCOMPARE(second->main, first->main);
        QVERIFY(second->parameters == first->parameters);
        QVERIFY(second->annotations == first->annotations);
    }

    void sequenceActionBody()
    {
        seedAction(u"seqa"_s, u"function main(p){return p}"_s);
        Action seq;
        seq.kind = u"sequence"_s;
        seq.components = {u"/guest/seqa"_s, u"/guest/seqa"_s};
        auto created = await<Action>([&](QObject *ctx, auto done) {
            m_client->putAction(qn(u"seq"_s), seq, false, ctx, done);
        });
        VERIFY_OK(created);
        QCOMPARE(created->kind, u"sequence"_s);
        QCOMPARE(created->components, seq.components);
        QVERIFY(!created->raw.value(u"exec"_s).toObject().contains(u"code"_s));
    }

    // ---------------------------------------------------------------- invoke

    void invokeNonBlocking()
    {
        seedAction(u"echo"_s, u"function main(p) { return {echo: p.v}; }"_s);
        auto r = await<InvokeResult>([&](QObject *ctx, auto done) {
            m_client->invoke(qn(u"echo"_s), QJsonObject{{u"v"_s, 1}}, InvokeOptions{}, ctx, done);
        });
        VERIFY_OK(r);
        QVERIFY2(isHex32(r->activationId), qPrintable(r->activationId));
        QVERIFY(!r->finished);
        QVERIFY(!r->record.has_value());

        // The activation eventually has a record.
        const QString id = r->activationId;
        std::optional<ActivationRecord> record;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto g = await<ActivationRecord>([&](QObject *ctx, auto done) {
                    m_client->getActivation(id, ctx, done);
                });
                if (g.ok())
                    record = *g;
                return g.ok();
            }(),
            20000);
        QCOMPARE(record->activationId, id);
        QCOMPARE(record->status, u"success"_s);
        QCOMPARE(record->result.toObject().value(u"echo"_s).toInt(), 1);
    }

    void invokeBlocking()
    {
        seedAction(u"hello"_s, u"function main(p) { return {hello: p.name}; }"_s);
        auto r = invokeBlocking(u"hello"_s, QJsonObject{{u"name"_s, u"feedscope"_s}});
        VERIFY_OK(r);
        QVERIFY(r->finished);
        QVERIFY2(isHex32(r->activationId), qPrintable(r->activationId));
        QVERIFY(r->record.has_value());
        QCOMPARE(r->record->activationId, r->activationId);
        QCOMPARE(r->record->status, u"success"_s);
        QVERIFY(r->record->success);
        QCOMPARE(r->record->statusCode, 0);
        QCOMPARE(r->record->name, u"hello"_s);
        QCOMPARE(r->record->path(), u"guest/hello"_s);
        QVERIFY(!r->record->isTrigger());
        QCOMPARE(r->record->result, QJsonValue(QJsonObject{{u"hello"_s, u"feedscope"_s}}));
        QCOMPARE(r->result, QJsonValue(QJsonObject{{u"hello"_s, u"feedscope"_s}}));
    }

    void invokeResultOnly()
    {
        seedAction(u"hello2"_s, u"function main(p) { return {hello: p.name}; }"_s);
        auto r = invokeBlocking(u"hello2"_s, QJsonObject{{u"name"_s, u"r"_s}}, true);
        VERIFY_OK(r);
        QVERIFY(r->finished);
        QVERIFY(!r->record.has_value());
        QCOMPARE(r->result, QJsonValue(QJsonObject{{u"hello"_s, u"r"_s}}));
        QVERIFY2(isHex32(r->activationId), qPrintable(r->activationId));
    }

    void invokeApplicationError()
    {
        seedAction(u"boom"_s, u"function main() { return {error: \"boom\"}; }"_s);
        auto r = invokeBlocking(u"boom"_s);
        QVERIFY2(r.ok(), QByteArray("an application error is a finished InvokeResult, not a "
                                    "WhiskError: " + describe(r)).constData());
        QVERIFY(r->finished);
        QVERIFY2(isHex32(r->activationId), qPrintable(r->activationId));
        QVERIFY(r->record.has_value());
        QCOMPARE(r->record->status, u"application error"_s);
        QVERIFY(!r->record->success);
        QCOMPARE(r->record->statusCode, 1);
        QCOMPARE(r->record->result, QJsonValue(QJsonObject{{u"error"_s, u"boom"_s}}));
        QCOMPARE(r->result, QJsonValue(QJsonObject{{u"error"_s, u"boom"_s}}));

        // result=true: the bare error result.
        auto bare = invokeBlocking(u"boom"_s, {}, true);
        VERIFY_OK(bare);
        QVERIFY(bare->finished);
        QVERIFY(!bare->record.has_value());
        QCOMPARE(bare->result, QJsonValue(QJsonObject{{u"error"_s, u"boom"_s}}));
        QVERIFY(isHex32(bare->activationId));
    }

    void invokeMissingAction()
    {
        InvokeOptions o;
        o.blocking = true;
        auto r = await<InvokeResult>([&](QObject *ctx, auto done) {
            m_client->invoke(qn(u"does-not-exist"_s), {}, o, ctx, done);
        });
        VERIFY_FAILED(r);
        QCOMPARE(r.error().kind, WhiskError::Kind::Http);
        QCOMPARE(r.error().httpStatus, 404);
        QCOMPARE(r.error().whiskError, u"The requested resource does not exist."_s);
        QVERIFY(r.error().message.startsWith(
            u"Invoking action 'does-not-exist' failed: 404 Not Found"_s));
        auto nb = await<InvokeResult>([&](QObject *ctx, auto done) {
            m_client->invoke(qn(u"does-not-exist"_s), {}, InvokeOptions{}, ctx, done);
        });
        VERIFY_FAILED(nb);
        QCOMPARE(nb.error().httpStatus, 404);
    }

    void invokeBlockingOutlivesServerWait()
    {
        seedAction(u"slowwait"_s, slowCode);
        InvokeOptions o;
        o.blocking = true;
        o.timeoutMs = 100; // the server answers 202 with the id after 100 ms
        auto r = await<InvokeResult>([&](QObject *ctx, auto done) {
            m_client->invoke(qn(u"slowwait"_s), {}, o, ctx, done);
        });
        VERIFY_OK(r);
        QVERIFY(!r->finished);
        QVERIFY(!r->record.has_value());
        QVERIFY2(isHex32(r->activationId), qPrintable(r->activationId));
    }

    // ---------------------------------------------------------------- packages, bindings

    void packagesAndBindings()
    {
        Package p;
        p.parameters.set(u"colour"_s, u"blue"_s);
        auto created = await<Package>([&](QObject *ctx, auto done) {
            m_client->putPackage(qn(u"pkg"_s), p, false, ctx, done);
        });
        VERIFY_OK(created);
        QCOMPARE(created->name, u"pkg"_s);
        QVERIFY(!created->isBinding());
        QCOMPARE(created->parameters.value(u"colour"_s), QJsonValue(u"blue"_s));

        auto conflict = await<Package>([&](QObject *ctx, auto done) {
            m_client->putPackage(qn(u"pkg"_s), p, false, ctx, done);
        });
        VERIFY_FAILED(conflict);
        QCOMPARE(conflict.error().httpStatus, 409);
        QCOMPARE(conflict.error().message,
                 u"Creating package 'pkg' failed: 409 Conflict — resource already exists"_s);

        // An action and a feed inside, through the client.
        auto inPkg = await<Action>([&](QObject *ctx, auto done) {
            m_client->putAction(*m_client->qualify(u"pkg/a"_s),
                                nodeActionEntity(u"function main(p){return p}"_s), false, ctx, done);
        });
        VERIFY_OK(inPkg);
        QCOMPARE(inPkg->ns, u"guest/pkg"_s);
        QCOMPARE(inPkg->qualifiedName(), (QualifiedName{u"guest"_s, u"pkg"_s, u"a"_s}));
        Action feed = nodeActionEntity(u"function main(p){return {}}"_s);
        feed.annotations.set(u"feed"_s, true);
        auto feedPut = await<Action>([&](QObject *ctx, auto done) {
            m_client->putAction(qn(u"f"_s, u"pkg"_s), feed, false, ctx, done);
        });
        VERIFY_OK(feedPut);
        QVERIFY(feedPut->isFeed());

        auto got = await<Package>(
            [&](QObject *ctx, auto done) { m_client->getPackage(qn(u"pkg"_s), ctx, done); });
        VERIFY_OK(got);
        QVERIFY(!got->isBinding());
        QVERIFY(got->raw.value(u"binding"_s).isObject()); // {} in a full document
        QVERIFY(got->raw.value(u"binding"_s).toObject().isEmpty());
        QCOMPARE(got->actionNames, QList<QString>{u"a"_s});
        QCOMPARE(got->feedNames, QList<QString>{u"f"_s});

        auto pkgActions = await<QList<Action>>([&](QObject *ctx, auto done) {
            m_client->listActions(u"pkg"_s, 0, 0, ctx, done);
        });
        VERIFY_OK(pkgActions);
        QStringList names;
        for (const Action &a : *pkgActions)
            names << a.name;
        names.sort();
        QCOMPARE(names, (QStringList{u"a"_s, u"f"_s}));

        // A binding of it.
        Package binding;
        binding.bindingNamespace = u"guest"_s;
        binding.bindingName = u"pkg"_s;
        binding.parameters.set(u"colour"_s, u"red"_s);
        auto bound = await<Package>([&](QObject *ctx, auto done) {
            m_client->putPackage(qn(u"bnd"_s), binding, false, ctx, done);
        });
        VERIFY_OK(bound);
        QVERIFY(bound->isBinding());
        QCOMPARE(bound->bindingNamespace, u"guest"_s);
        QCOMPARE(bound->bindingName, u"pkg"_s);

        auto gotBinding = await<Package>(
            [&](QObject *ctx, auto done) { m_client->getPackage(qn(u"bnd"_s), ctx, done); });
        VERIFY_OK(gotBinding);
        QVERIFY(gotBinding->isBinding());
        QCOMPARE(gotBinding->name, u"bnd"_s);
        QCOMPARE(gotBinding->bindingNamespace, u"guest"_s);
        QCOMPARE(gotBinding->bindingName, u"pkg"_s);
        QCOMPARE(gotBinding->parameters.value(u"colour"_s), QJsonValue(u"red"_s));
        QCOMPARE(gotBinding->actionNames, QList<QString>{u"a"_s});
        QCOMPARE(gotBinding->feedNames, QList<QString>{u"f"_s});

        // Bad binding target → 400, message names a binding.
        Package dangling;
        dangling.bindingNamespace = u"guest"_s;
        dangling.bindingName = u"nowhere"_s;
        auto bad = await<Package>([&](QObject *ctx, auto done) {
            m_client->putPackage(qn(u"bad"_s), dangling, false, ctx, done);
        });
        VERIFY_FAILED(bad);
        QCOMPARE(bad.error().httpStatus, 400);
        QVERIFY2(bad.error().message.startsWith(
                     u"Creating binding 'bad' failed: 400 Bad Request — "_s),
                 qPrintable(bad.error().message));

        // List summaries: binding false vs {namespace, name}.
        auto list = await<QList<Package>>([&](QObject *ctx, auto done) {
            m_client->listPackages({}, 0, 0, ctx, done);
        });
        VERIFY_OK(list);
        bool sawPkg = false, sawBnd = false;
        for (const Package &item : *list) {
            if (item.name == u"pkg") {
                sawPkg = true;
                QCOMPARE(item.raw.value(u"binding"_s), QJsonValue(false));
                QVERIFY(!item.isBinding());
            } else if (item.name == u"bnd") {
                sawBnd = true;
                QVERIFY(item.isBinding());
                QCOMPARE(item.bindingName, u"pkg"_s);
                QCOMPARE(item.bindingNamespace, u"guest"_s);
            }
        }
        QVERIFY(sawPkg && sawBnd);
        auto explicitNs = await<QList<Package>>([&](QObject *ctx, auto done) {
            m_client->listPackages(u"guest"_s, 1, 0, ctx, done);
        });
        VERIFY_OK(explicitNs);
        QCOMPARE(explicitNs->size(), 1);

        // Invoking through the binding.
        auto viaBinding = invokeBlocking(u"bnd/a"_s, QJsonObject{{u"x"_s, 1}});
        VERIFY_OK(viaBinding);
        QVERIFY(viaBinding->finished);
        QCOMPARE(viaBinding->result.toObject().value(u"colour"_s), QJsonValue(u"red"_s));

        // Delete: the binding; then the package needs force.
        auto delBinding = await<Package>([&](QObject *ctx, auto done) {
            m_client->deletePackage(qn(u"bnd"_s), false, ctx, done);
        });
        VERIFY_OK(delBinding);
        auto notEmpty = await<Package>([&](QObject *ctx, auto done) {
            m_client->deletePackage(qn(u"pkg"_s), false, ctx, done);
        });
        VERIFY_FAILED(notEmpty);
        QCOMPARE(notEmpty.error().httpStatus, 409);
        QVERIFY2(notEmpty.error().whiskError.startsWith(u"Package not empty"_s),
                 qPrintable(notEmpty.error().whiskError));
        QVERIFY(notEmpty.error().message.startsWith(
            u"Deleting package 'pkg' failed: 409 Conflict — Package not empty"_s));
        auto forced = await<Package>([&](QObject *ctx, auto done) {
            m_client->deletePackage(qn(u"pkg"_s), true, ctx, done);
        });
        VERIFY_OK(forced);
        QCOMPARE(forced->name, u"pkg"_s);
        auto gone = await<Package>(
            [&](QObject *ctx, auto done) { m_client->getPackage(qn(u"pkg"_s), ctx, done); });
        VERIFY_FAILED(gone);
        QCOMPARE(gone.error().httpStatus, 404);
        auto goneAction = await<Action>([&](QObject *ctx, auto done) {
            m_client->getAction(qn(u"a"_s, u"pkg"_s), true, ctx, done);
        });
        VERIFY_FAILED(goneAction);
        QCOMPARE(goneAction.error().httpStatus, 404);
    }

    // ---------------------------------------------------------------- triggers and rules

    void triggersAndRules()
    {
        Trigger t;
        t.parameters.set(u"source"_s, u"test"_s);
        auto created = await<Trigger>([&](QObject *ctx, auto done) {
            m_client->putTrigger(qn(u"t1"_s), t, false, ctx, done);
        });
        VERIFY_OK(created);
        QCOMPARE(created->name, u"t1"_s);
        QVERIFY(created->rules.isEmpty());
        QVERIFY(created->feed().isEmpty());
        auto conflict = await<Trigger>([&](QObject *ctx, auto done) {
            m_client->putTrigger(qn(u"t1"_s), t, false, ctx, done);
        });
        VERIFY_FAILED(conflict);
        QCOMPARE(conflict.error().message,
                 u"Creating trigger 't1' failed: 409 Conflict — resource already exists"_s);

        auto got = await<Trigger>(
            [&](QObject *ctx, auto done) { m_client->getTrigger(qn(u"t1"_s), ctx, done); });
        VERIFY_OK(got);
        QCOMPARE(got->parameters.value(u"source"_s), QJsonValue(u"test"_s));

        auto list = await<QList<Trigger>>([&](QObject *ctx, auto done) {
            m_client->listTriggers(0, 0, ctx, done);
        });
        VERIFY_OK(list);
        QVERIFY(std::any_of(list->begin(), list->end(),
                            [](const Trigger &x) { return x.name == u"t1"; }));

        // Fire without a rule: 204, empty id.
        auto noRule = await<QString>([&](QObject *ctx, auto done) {
            m_client->fire(qn(u"t1"_s), QJsonObject{{u"p"_s, 1}}, ctx, done);
        });
        VERIFY_OK(noRule);
        QVERIFY(noRule->isEmpty());

        // A rule to an action.
        seedAction(u"ruled"_s, u"function main(p){return p}"_s);
        auto rule = await<Rule>([&](QObject *ctx, auto done) {
            m_client->putRule(qn(u"r1"_s), u"/_/t1"_s, u"/_/ruled"_s, false, ctx, done);
        });
        VERIFY_OK(rule);
        QCOMPARE(rule->name, u"r1"_s);
        QCOMPARE(rule->status, u"active"_s);
        QVERIFY(rule->isActive());
        QCOMPARE(rule->trigger, u"/guest/t1"_s);
        QCOMPARE(rule->action, u"/guest/ruled"_s);
        auto ruleConflict = await<Rule>([&](QObject *ctx, auto done) {
            m_client->putRule(qn(u"r1"_s), u"/_/t1"_s, u"/_/ruled"_s, false, ctx, done);
        });
        VERIFY_FAILED(ruleConflict);
        QCOMPARE(ruleConflict.error().message,
                 u"Creating rule 'r1' failed: 409 Conflict — resource already exists"_s);
        auto missingRef = await<Rule>([&](QObject *ctx, auto done) {
            m_client->putRule(qn(u"r2"_s), u"/_/nosuch"_s, u"/_/ruled"_s, false, ctx, done);
        });
        VERIFY_FAILED(missingRef);
        QCOMPARE(missingRef.error().httpStatus, 400);

        auto gotRule = await<Rule>(
            [&](QObject *ctx, auto done) { m_client->getRule(qn(u"r1"_s), ctx, done); });
        VERIFY_OK(gotRule);
        QCOMPARE(gotRule->status, u"active"_s);
        QCOMPARE(gotRule->trigger, u"/guest/t1"_s);
        QCOMPARE(gotRule->action, u"/guest/ruled"_s);

        // The trigger's rules map.
        auto withRule = await<Trigger>(
            [&](QObject *ctx, auto done) { m_client->getTrigger(qn(u"t1"_s), ctx, done); });
        VERIFY_OK(withRule);
        QCOMPARE(withRule->rules.size(), 1);
        QCOMPARE(withRule->rules.first().rule, u"guest/r1"_s);
        QCOMPARE(withRule->rules.first().action, u"guest/ruled"_s);
        QVERIFY(withRule->rules.first().active);

        // Fire with an active rule: an id.
        auto fired = await<QString>([&](QObject *ctx, auto done) {
            m_client->fire(qn(u"t1"_s), QJsonObject{{u"p"_s, 2}}, ctx, done);
        });
        VERIFY_OK(fired);
        QVERIFY2(isHex32(*fired), qPrintable(*fired));

        // Its trigger activation shows up (asynchronously).
        const QString triggerActivation = *fired;
        std::optional<ActivationRecord> record;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto g = await<ActivationRecord>([&](QObject *ctx, auto done) {
                    m_client->getActivation(triggerActivation, ctx, done);
                });
                if (g.ok())
                    record = *g;
                return g.ok();
            }(),
            20000);
        QVERIFY(record->isTrigger());
        QCOMPARE(record->name, u"t1"_s);

        // Disable: plain-text OK.
        auto disabled = await<Done>([&](QObject *ctx, auto done) {
            m_client->setRuleActive(qn(u"r1"_s), false, ctx, done);
        });
        VERIFY_OK(disabled);
        QCOMPARE(m_client->journal()->entries().last().responseBody.trimmed(), QByteArray("OK"));
        QCOMPARE(m_client->journal()->entries().last().status, 200);
        auto inactive = await<Rule>(
            [&](QObject *ctx, auto done) { m_client->getRule(qn(u"r1"_s), ctx, done); });
        VERIFY_OK(inactive);
        QCOMPARE(inactive->status, u"inactive"_s);
        QVERIFY(!inactive->isActive());
        auto triggerInactive = await<Trigger>(
            [&](QObject *ctx, auto done) { m_client->getTrigger(qn(u"t1"_s), ctx, done); });
        VERIFY_OK(triggerInactive);
        QCOMPARE(triggerInactive->rules.size(), 1);
        QVERIFY(!triggerInactive->rules.first().active);
        auto firedInactive = await<QString>([&](QObject *ctx, auto done) {
            m_client->fire(qn(u"t1"_s), {}, ctx, done);
        });
        VERIFY_OK(firedInactive);
        QVERIFY(firedInactive->isEmpty());

        // Enable again.
        auto enabled = await<Done>([&](QObject *ctx, auto done) {
            m_client->setRuleActive(qn(u"r1"_s), true, ctx, done);
        });
        VERIFY_OK(enabled);
        auto active = await<Rule>(
            [&](QObject *ctx, auto done) { m_client->getRule(qn(u"r1"_s), ctx, done); });
        VERIFY_OK(active);
        QCOMPARE(active->status, u"active"_s);

        // List: no status in summaries.
        auto rules = await<QList<Rule>>([&](QObject *ctx, auto done) {
            m_client->listRules(0, 0, ctx, done);
        });
        VERIFY_OK(rules);
        QCOMPARE(rules->size(), 1);
        QCOMPARE(rules->first().name, u"r1"_s);
        QVERIFY(rules->first().status.isEmpty());
        QCOMPARE(rules->first().trigger, u"/guest/t1"_s);

        // setRuleActive on a missing rule → 404.
        auto missingToggle = await<Done>([&](QObject *ctx, auto done) {
            m_client->setRuleActive(qn(u"nosuchrule"_s), false, ctx, done);
        });
        VERIFY_FAILED(missingToggle);
        QCOMPARE(missingToggle.error().httpStatus, 404);
        QVERIFY(missingToggle.error().message.startsWith(
            u"Disabling rule 'nosuchrule' failed: 404 Not Found"_s));

        // Delete rule and trigger.
        auto delRule = await<Rule>(
            [&](QObject *ctx, auto done) { m_client->deleteRule(qn(u"r1"_s), ctx, done); });
        VERIFY_OK(delRule);
        QCOMPARE(delRule->name, u"r1"_s);
        auto ruleGone = await<Rule>(
            [&](QObject *ctx, auto done) { m_client->getRule(qn(u"r1"_s), ctx, done); });
        VERIFY_FAILED(ruleGone);
        QCOMPARE(ruleGone.error().httpStatus, 404);
        auto delTrigger = await<Trigger>(
            [&](QObject *ctx, auto done) { m_client->deleteTrigger(qn(u"t1"_s), ctx, done); });
        VERIFY_OK(delTrigger);
        QCOMPARE(delTrigger->name, u"t1"_s);
        auto triggerGone = await<Trigger>(
            [&](QObject *ctx, auto done) { m_client->getTrigger(qn(u"t1"_s), ctx, done); });
        VERIFY_FAILED(triggerGone);
        QCOMPARE(triggerGone.error().httpStatus, 404);
        auto fireGone = await<QString>([&](QObject *ctx, auto done) {
            m_client->fire(qn(u"t1"_s), {}, ctx, done);
        });
        VERIFY_FAILED(fireGone);
        QCOMPARE(fireGone.error().httpStatus, 404);
        QVERIFY(fireGone.error().message.startsWith(u"Firing trigger 't1' failed: 404 Not Found"_s));
    }

    void triggerWithFeedAnnotation()
    {
        Trigger t;
        t.annotations.set(u"feed"_s, u"/whisk.system/alarms/alarm"_s);
        auto created = await<Trigger>([&](QObject *ctx, auto done) {
            m_client->putTrigger(qn(u"tfeed"_s), t, false, ctx, done);
        });
        VERIFY_OK(created);
        QCOMPARE(created->feed(), u"/whisk.system/alarms/alarm"_s);
        Trigger bad;
        bad.annotations.set(u"feed"_s, 7);
        auto rejected = await<Trigger>([&](QObject *ctx, auto done) {
            m_client->putTrigger(qn(u"tbadfeed"_s), bad, false, ctx, done);
        });
        VERIFY_FAILED(rejected);
        QCOMPARE(rejected.error().httpStatus, 400);
        QCOMPARE(rejected.error().whiskError, u"Feed name is not valid"_s);
    }

    // ---------------------------------------------------------------- activations

    void activations()
    {
        seedAction(u"logger"_s,
                   u"function main(p) { console.log('line1'); return {n: p.n}; }"_s);
        seedAction(u"logfail"_s, u"function main() { return {error: 'nope'}; }"_s);
        auto ok = invokeBlocking(u"logger"_s, QJsonObject{{u"n"_s, 5}});
        VERIFY_OK(ok);
        QVERIFY(ok->finished);
        const QString id = ok->activationId;
        auto failed = invokeBlocking(u"logfail"_s);
        VERIFY_OK(failed);
        const QString failedId = failed->activationId;

        // List with a name filter: summaries.
        ActivationFilter filter;
        filter.name = u"logger"_s;
        filter.limit = 5;
        auto summaries = await<QList<ActivationRecord>>([&](QObject *ctx, auto done) {
            m_client->listActivations(filter, ctx, done);
        });
        VERIFY_OK(summaries);
        QVERIFY(!summaries->isEmpty());
        QVERIFY(summaries->size() <= 5);
        bool found = false;
        for (const ActivationRecord &a : *summaries) {
            QCOMPARE(a.name, u"logger"_s);
            if (a.activationId == id) {
                found = true;
                QVERIFY(a.raw.contains(u"statusCode"_s));
                QVERIFY(!a.raw.contains(u"response"_s));
                QCOMPARE(a.statusCode, 0);
                QVERIFY(a.success);
                QVERIFY(a.status.isEmpty());
                QVERIFY(a.start > 0);
                QVERIFY(a.end >= a.start);
            }
        }
        QVERIFY(found);

        // Failed summary: statusCode 1, not success.
        filter.name = u"logfail"_s;
        auto failedSummaries = await<QList<ActivationRecord>>([&](QObject *ctx, auto done) {
            m_client->listActivations(filter, ctx, done);
        });
        VERIFY_OK(failedSummaries);
        QCOMPARE(failedSummaries->size(), 1);
        QCOMPARE(failedSummaries->first().activationId, failedId);
        QCOMPARE(failedSummaries->first().statusCode, 1);
        QVERIFY(!failedSummaries->first().success);

        // Limit 1 across everything; docs=true gives full records.
        ActivationFilter one;
        one.limit = 1;
        auto limited = await<QList<ActivationRecord>>([&](QObject *ctx, auto done) {
            m_client->listActivations(one, ctx, done);
        });
        VERIFY_OK(limited);
        QCOMPARE(limited->size(), 1);
        ActivationFilter docs;
        docs.name = u"logger"_s;
        docs.docs = true;
        auto full = await<QList<ActivationRecord>>([&](QObject *ctx, auto done) {
            m_client->listActivations(docs, ctx, done);
        });
        VERIFY_OK(full);
        QVERIFY(!full->isEmpty());
        QCOMPARE(full->first().status, u"success"_s);
        QVERIFY(full->first().success);
        QCOMPARE(full->first().statusCode, 0);
        QCOMPARE(full->first().result.toObject().value(u"n"_s).toInt(), 5);

        // since/upto in milliseconds: a window in the future is empty.
        ActivationFilter future;
        future.name = u"logger"_s;
        future.since = QDateTime::currentMSecsSinceEpoch() + 3600000;
        auto none = await<QList<ActivationRecord>>([&](QObject *ctx, auto done) {
            m_client->listActivations(future, ctx, done);
        });
        VERIFY_OK(none);
        QVERIFY(none->isEmpty());
        ActivationFilter window;
        window.name = u"logger"_s;
        window.since = ok->record->start - 1;
        window.upto = ok->record->start + 1;
        auto inWindow = await<QList<ActivationRecord>>([&](QObject *ctx, auto done) {
            m_client->listActivations(window, ctx, done);
        });
        VERIFY_OK(inWindow);
        QCOMPARE(inWindow->size(), 1);

        // get: the full record.
        auto record = await<ActivationRecord>(
            [&](QObject *ctx, auto done) { m_client->getActivation(id, ctx, done); });
        VERIFY_OK(record);
        QCOMPARE(record->activationId, id);
        QCOMPARE(record->status, u"success"_s);
        QVERIFY(record->success);
        QCOMPARE(record->statusCode, 0);
        QCOMPARE(record->ns, u"guest"_s);
        QCOMPARE(record->subject, u"guest"_s);
        QCOMPARE(record->result.toObject().value(u"n"_s).toInt(), 5);
        QCOMPARE(record->logs.size(), 1);
        QVERIFY2(record->logs.first().contains(u"line1"_s), qPrintable(record->logs.first()));
        QVERIFY(record->duration >= 0);
        QCOMPARE(record->path(), u"guest/logger"_s);

        auto failedRecord = await<ActivationRecord>(
            [&](QObject *ctx, auto done) { m_client->getActivation(failedId, ctx, done); });
        VERIFY_OK(failedRecord);
        QCOMPARE(failedRecord->status, u"application error"_s);
        QVERIFY(!failedRecord->success);
        QCOMPARE(failedRecord->statusCode, 1);

        // logs and result
        auto logs = await<QStringList>(
            [&](QObject *ctx, auto done) { m_client->activationLogs(id, ctx, done); });
        VERIFY_OK(logs);
        QCOMPARE(logs->size(), 1);
        QVERIFY(logs->first().contains(u"line1"_s));
        auto result = await<QJsonObject>(
            [&](QObject *ctx, auto done) { m_client->activationResult(id, ctx, done); });
        VERIFY_OK(result);
        QCOMPARE(result->value(u"result"_s), QJsonValue(QJsonObject{{u"n"_s, 5}}));
        QCOMPARE(result->value(u"success"_s), QJsonValue(true));
        QCOMPARE(result->value(u"status"_s), QJsonValue(u"success"_s));

        // Error paths.
        auto malformed = await<ActivationRecord>(
            [&](QObject *ctx, auto done) { m_client->getActivation(u"nope"_s, ctx, done); });
        VERIFY_FAILED(malformed);
        QCOMPARE(malformed.error().httpStatus, 400);
        const QString unknown(32, u'0');
        auto missing = await<ActivationRecord>(
            [&](QObject *ctx, auto done) { m_client->getActivation(unknown, ctx, done); });
        VERIFY_FAILED(missing);
        QCOMPARE(missing.error().httpStatus, 404);
        QCOMPARE(missing.error().message,
                 u"Reading activation %1 failed: 404 Not Found — The requested resource does "
                 "not exist."_s.arg(unknown));
        auto missingLogs = await<QStringList>(
            [&](QObject *ctx, auto done) { m_client->activationLogs(unknown, ctx, done); });
        VERIFY_FAILED(missingLogs);
        QCOMPARE(missingLogs.error().httpStatus, 404);
        auto missingResult = await<QJsonObject>(
            [&](QObject *ctx, auto done) { m_client->activationResult(unknown, ctx, done); });
        VERIFY_FAILED(missingResult);
        QCOMPARE(missingResult.error().httpStatus, 404);
        ActivationFilter badLimit;
        badLimit.limit = 500;
        auto tooMany = await<QList<ActivationRecord>>([&](QObject *ctx, auto done) {
            m_client->listActivations(badLimit, ctx, done);
        });
        VERIFY_FAILED(tooMany);
        QCOMPARE(tooMany.error().httpStatus, 400);
        QVERIFY(tooMany.error().message.startsWith(
            u"Listing activations failed: 400 Bad Request"_s));
    }

    // ---------------------------------------------------------------- qualify()

    void qualify_data()
    {
        QTest::addColumn<QString>("endpointNs");
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("ns");
        QTest::addColumn<QString>("package");
        QTest::addColumn<QString>("name");
        QTest::newRow("simple") << u"_"_s << u"x"_s << true << u"_"_s << QString() << u"x"_s;
        QTest::newRow("package") << u"_"_s << u"pkg/x"_s << true << u"_"_s << u"pkg"_s << u"x"_s;
        QTest::newRow("absolute") << u"_"_s << u"/ns/x"_s << true << u"ns"_s << QString()
                                  << u"x"_s;
        QTest::newRow("absolute package") << u"_"_s << u"/ns/pkg/x"_s << true << u"ns"_s
                                          << u"pkg"_s << u"x"_s;
        QTest::newRow("endpoint ns") << u"guest"_s << u"x"_s << true << u"guest"_s << QString()
                                     << u"x"_s;
        QTest::newRow("empty endpoint ns") << QString() << u"x"_s << true << u"_"_s << QString()
                                           << u"x"_s;
        QTest::newRow("absolute ignores endpoint ns") << u"guest"_s << u"/other/x"_s << true
                                                      << u"other"_s << QString() << u"x"_s;
        QTest::newRow("empty") << u"_"_s << QString() << false << QString() << QString()
                               << QString();
        QTest::newRow("bad char") << u"_"_s << u"bad$"_s << false << QString() << QString()
                                  << QString();
        QTest::newRow("too deep") << u"_"_s << u"a/b/c"_s << false << QString() << QString()
                                  << QString();
        QTest::newRow("absolute too deep") << u"_"_s << u"/a/b/c/d"_s << false << QString()
                                           << QString() << QString();
        QTest::newRow("namespace only") << u"_"_s << u"/ns"_s << false << QString() << QString()
                                        << QString();
        QTest::newRow("trailing slash") << u"_"_s << u"pkg/"_s << false << QString() << QString()
                                        << QString();
    }
    void qualify()
    {
        QFETCH(QString, endpointNs);
        QFETCH(QString, text);
        QFETCH(bool, valid);
        WhiskEndpoint e = endpoint();
        e.ns = endpointNs;
        m_client->setEndpoint(e);
        const auto q = m_client->qualify(text);
        QCOMPARE(q.has_value(), valid);
        if (!valid)
            return;
        QFETCH(QString, ns);
        QFETCH(QString, package);
        QFETCH(QString, name);
        QCOMPARE(q->ns, ns);
        QCOMPARE(q->package, package);
        QCOMPARE(q->name, name);
    }

    void qualifyToString()
    {
        QCOMPARE(m_client->qualify(u"x"_s)->toString(), u"/_/x"_s);
        QCOMPARE(m_client->qualify(u"pkg/x"_s)->toString(), u"/_/pkg/x"_s);
        QCOMPARE(m_client->qualify(u"/ns/x"_s)->toString(), u"/ns/x"_s);
        QVERIFY(!m_client->qualify(u"-bad"_s));
    }

    // A name from qualify() reaches the engine with every segment percent-encoded.
    void namesWithSpaces()
    {
        const auto name = m_client->qualify(u"with space"_s);
        QVERIFY(name);
        auto created = await<Action>([&](QObject *ctx, auto done) {
            m_client->putAction(*name, nodeActionEntity(u"function main(){return {ok:1}}"_s),
                                false, ctx, done);
        });
        VERIFY_OK(created);
        QCOMPARE(created->name, u"with space"_s);
        auto r = invokeBlocking(u"with space"_s);
        VERIFY_OK(r);
        QCOMPARE(r->result.toObject().value(u"ok"_s).toInt(), 1);
    }

    // ---------------------------------------------------------------- journal

    void journalRecordsEveryCall()
    {
        HttpJournal *journal = m_client->journal();
        journal->clear();
        QSignalSpy added(journal, &HttpJournal::entryAdded);

        Action a = nodeActionEntity(u"function main(p){return p}"_s);
        auto put = await<Action>([&](QObject *ctx, auto done) {
            m_client->putAction(qn(u"journaled"_s), a, false, ctx, done);
        });
        VERIFY_OK(put);
        auto missing = await<Action>([&](QObject *ctx, auto done) {
            m_client->getAction(qn(u"journal-missing"_s), false, ctx, done);
        });
        VERIFY_FAILED(missing);
        auto ns = await<QStringList>(
            [&](QObject *ctx, auto done) { m_client->listNamespaces(ctx, done); });
        VERIFY_OK(ns);

        QCOMPARE(journal->entries().size(), 3);
        QCOMPARE(added.size(), 3);

        const HttpJournal::Entry &p = journal->entries().at(0);
        QCOMPARE(p.method, QByteArray("PUT"));
        QCOMPARE(p.url.toString(), m_engine.baseUrl()
                                       + u"/api/v1/namespaces/_/actions/journaled?overwrite=false"_s);
        QCOMPARE(p.status, 200);
        QVERIFY(p.elapsedMs >= 0);
        QVERIFY(p.started.isValid());
        QVERIFY(p.id > 0);
        QVERIFY(p.error.isEmpty());
        QCOMPARE(p.requestId.size(), 32);
        QCOMPARE(QJsonDocument::fromJson(p.requestBody).object(), a.toPutBody());
        QCOMPARE(QJsonDocument::fromJson(p.responseBody).object().value(u"name"_s),
                 QJsonValue(u"journaled"_s));

        const HttpJournal::Entry &g = journal->entries().at(1);
        QCOMPARE(g.method, QByteArray("GET"));
        QCOMPARE(g.status, 404);
        QVERIFY(g.requestBody.isEmpty());
        QVERIFY(g.responseBody.contains("The requested resource does not exist."));
        QCOMPARE(g.url.query(), u"code=false"_s);
        QVERIFY(journal->entries().at(2).id > g.id);
        QVERIFY(g.id > p.id);

        // The key is redacted, and nowhere in any entry.
        const QByteArray uuid = guestKey.left(guestKey.indexOf(':'));
        const QByteArray secret = guestKey.mid(guestKey.indexOf(':') + 1);
        for (const HttpJournal::Entry &e : journal->entries()) {
            bool sawAuthorization = false;
            for (const auto &h : e.requestHeaders) {
                if (h.first.compare("authorization", Qt::CaseInsensitive) == 0) {
                    sawAuthorization = true;
                    QCOMPARE(h.second, QByteArray("Basic ***"));
                }
            }
            QVERIFY(sawAuthorization);
            const QByteArray text = entryText(e);
            QVERIFY(!text.contains(guestKey));
            QVERIFY(!text.contains(secret));
            QVERIFY(!text.contains(uuid));
            QVERIFY(!text.contains(guestKey.toBase64()));
            QVERIFY(!text.contains(guestKey.toBase64().left(20)));
        }
        // What the signal carried is the redacted entry too.
        const auto signalled = added.first().first().value<HttpJournal::Entry>();
        QCOMPARE(signalled.id, p.id);
        QVERIFY(!entryText(signalled).contains(secret));
    }

    void journalCapacityAndBodyLimit()
    {
        HttpJournal journal;
        journal.setCapacity(2);
        HttpJournal::Entry e;
        e.method = "POST";
        e.url = QUrl(u"http://h/api/v1/x"_s);
        e.requestBody = QByteArray(HttpJournal::maxBodyBytes + 10, 'a');
        journal.append(e);
        journal.append(e);
        journal.append(e);
        QCOMPARE(journal.entries().size(), 2);
        QCOMPARE(journal.entries().first().id, 2);
        QVERIFY(journal.entries().first().requestBody.size() <= HttpJournal::maxBodyBytes + 4);
    }

    void journalToCurlReplays()
    {
        HttpJournal *journal = m_client->journal();
        journal->clear();
        // Code with a single quote and non-ASCII text, to exercise the shell quoting.
        Action a = nodeActionEntity(u"function main() { return {s: 'it\\'s caf\u00e9'}; }"_s);
        auto put = await<Action>([&](QObject *ctx, auto done) {
            m_client->putAction(qn(u"curlme"_s), a, true, ctx, done);
        });
        VERIFY_OK(put);
        const HttpJournal::Entry entry = journal->entries().last();
        const QString curl = HttpJournal::toCurl(entry);
        QVERIFY2(curl.startsWith(u"curl "_s), qPrintable(curl));
        QVERIFY2(curl.contains(u"-u \"$OW_AUTH\""_s), qPrintable(curl));
        QVERIFY2(curl.contains(u"-X PUT"_s), qPrintable(curl));
        QVERIFY2(curl.contains(u"-d "_s), qPrintable(curl));
        QVERIFY2(curl.contains(entry.url.toString()), qPrintable(curl));
        QVERIFY(curl.contains(u"Content-Type: application/json"_s));
        QVERIFY(!curl.contains(QString::fromLatin1(guestKey)));
        QVERIFY(!curl.contains(u"***"_s));

        const auto runCurl = [&](const QString &command, QByteArray *out) {
            QProcess bash;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(u"OW_AUTH"_s, QString::fromLatin1(guestKey));
            bash.setProcessEnvironment(env);
            bash.start(u"bash"_s, {u"-c"_s, command + u" -s -w '\\n%{http_code}'"_s});
            if (!bash.waitForFinished(30000))
                return -1;
            const QByteArray all = bash.readAllStandardOutput();
            const qsizetype nl = all.lastIndexOf('\n');
            *out = all.left(nl);
            return bash.exitCode() == 0 ? all.mid(nl + 1).toInt() : -bash.exitCode();
        };

        QByteArray out;
        QCOMPARE(runCurl(curl, &out), 200);
        const QJsonObject replayed = QJsonDocument::fromJson(out).object();
        QCOMPARE(replayed.value(u"name"_s), QJsonValue(u"curlme"_s));
        QCOMPARE(replayed.value(u"version"_s), QJsonValue(u"0.0.2"_s)); // it really updated
        QCOMPARE(replayed.value(u"exec"_s).toObject().value(u"code"_s), QJsonValue(a.code));

        // A POST (blocking invoke) and a GET replay too.
        auto invoked = invokeBlocking(u"curlme"_s, QJsonObject{{u"q"_s, u"x y"_s}});
        VERIFY_OK(invoked);
        const QString postCurl = HttpJournal::toCurl(journal->entries().last());
        QVERIFY2(postCurl.contains(u"-X POST"_s), qPrintable(postCurl));
        QVERIFY(postCurl.contains(u"-d '{\"q\":\"x y\"}'"_s));
        QCOMPARE(runCurl(postCurl, &out), 200);
        QCOMPARE(QJsonDocument::fromJson(out).object().value(u"response"_s).toObject()
                     .value(u"result"_s),
                 QJsonValue(QJsonObject{{u"s"_s, u"it's caf\u00e9"_s}}));

        auto got = await<Action>([&](QObject *ctx, auto done) {
            m_client->getAction(qn(u"curlme"_s), false, ctx, done);
        });
        VERIFY_OK(got);
        const QString getCurl = HttpJournal::toCurl(journal->entries().last());
        QVERIFY(!getCurl.contains(u"-X"_s));
        QVERIFY(getCurl.contains(u"-u \"$OW_AUTH\""_s));
        QCOMPARE(runCurl(getCurl, &out), 200);
        QCOMPARE(QJsonDocument::fromJson(out).object().value(u"name"_s), QJsonValue(u"curlme"_s));
    }

    // ---------------------------------------------------------------- cancellation

    void contextDeletionCancels()
    {
        seedAction(u"slowcancel"_s, slowCode);
        bool called = false;
        auto *context = new QObject;
        InvokeOptions o;
        o.blocking = true;
        m_client->invoke(qn(u"slowcancel"_s), {}, o, context,
                         [&called](Result<InvokeResult>) { called = true; });
        delete context;
        QTest::qWait(3000);
        QVERIFY(!called);

        // Same with a quick call: deleted before the event loop ever ran.
        bool quickCalled = false;
        auto *quick = new QObject;
        m_client->listNamespaces(quick, [&quickCalled](Result<QStringList>) { quickCalled = true; });
        delete quick;
        QTest::qWait(500);
        QVERIFY(!quickCalled);

        // The client still works afterwards, and a surviving context still gets its answer
        // (control: the same slow invoke does call back when its context lives).
        auto ns = await<QStringList>(
            [&](QObject *ctx, auto done) { m_client->listNamespaces(ctx, done); });
        VERIFY_OK(ns);
        auto control = invokeBlocking(u"slowcancel"_s);
        VERIFY_OK(control);
        QVERIFY(control->finished);
    }

    void contextDeletedLaterCancels()
    {
        seedAction(u"slowcancel2"_s, slowCode);
        bool called = false;
        auto *context = new QObject;
        InvokeOptions o;
        o.blocking = true;
        m_client->invoke(qn(u"slowcancel2"_s), {}, o, context,
                         [&called](Result<InvokeResult>) { called = true; });
        QTimer::singleShot(200, context, [context] { context->deleteLater(); });
        QTest::qWait(3000);
        QVERIFY(!called);
    }

    // ---------------------------------------------------------------- timeouts, failures

    void clientTimeoutOnBlockingInvoke()
    {
        seedAction(u"slowtimeout"_s, slowCode);
        m_client->setTimeout(300);
        InvokeOptions o;
        o.blocking = true;
        o.timeoutMs = 60000;
        auto r = await<InvokeResult>([&](QObject *ctx, auto done) {
            m_client->invoke(qn(u"slowtimeout"_s), {}, o, ctx, done);
        });
        QVERIFY2(!r.ok(), "setTimeout(300) should stop a blocking invoke of a 1.5 s action, but "
                          "the call succeeded");
        QCOMPARE(kindName(r.error().kind), u"Timeout"_s);
        QCOMPARE(r.error().httpStatus, 0);
        QVERIFY(r.error().message.startsWith(u"Invoking action 'slowtimeout' failed: "_s));
        QVERIFY(r.error().message.contains(u"in time"_s));
    }

    void perCallTimeout()
    {
        seedAction(u"slowcall"_s, slowCode);
        QUrlQuery q;
        q.addQueryItem(u"blocking"_s, u"true"_s);
        auto r = await<WhiskResponse>([&](QObject *ctx, auto done) {
            m_client->call("POST", u"namespaces/_/actions/slowcall"_s, q, QJsonObject{},
                           u"Invoking action 'slowcall'"_s, ctx, done, 300);
        });
        VERIFY_FAILED(r);
        QCOMPARE(kindName(r.error().kind), u"Timeout"_s);
        QCOMPARE(r.error().httpStatus, 0);
        QCOMPARE(r.error().message, u"Invoking action 'slowcall' failed: no answer in time"_s);
        const HttpJournal::Entry &e = m_client->journal()->entries().last();
        QCOMPARE(e.status, 0);
        QVERIFY(!e.error.isEmpty());
    }

    void networkError()
    {
        WhiskEndpoint e = endpoint();
        e.apiHost = u"http://127.0.0.1:%1"_s.arg(closedPort());
        m_client->setEndpoint(e);
        auto r = await<QStringList>(
            [&](QObject *ctx, auto done) { m_client->listNamespaces(ctx, done); });
        VERIFY_FAILED(r);
        QCOMPARE(kindName(r.error().kind), u"Network"_s);
        QCOMPARE(r.error().httpStatus, 0);
        QVERIFY2(r.error().message.startsWith(u"Listing namespaces failed: "_s),
                 qPrintable(r.error().message));
        QVERIFY(r.error().message.size() > u"Listing namespaces failed: "_s.size());
        QCOMPARE(m_client->journal()->entries().size(), 1);
        QCOMPARE(m_client->journal()->entries().last().status, 0);
        QVERIFY(!m_client->journal()->entries().last().error.isEmpty());

        auto invoke = await<InvokeResult>([&](QObject *ctx, auto done) {
            m_client->invoke(qn(u"x"_s), {}, InvokeOptions{}, ctx, done);
        });
        VERIFY_FAILED(invoke);
        QCOMPARE(kindName(invoke.error().kind), u"Network"_s);
    }

    void unauthorized()
    {
        WhiskEndpoint e = endpoint();
        e.authKey = QString::fromLatin1(guestKey.left(guestKey.indexOf(':') + 1)) + u"wrong"_s;
        m_client->setEndpoint(e);
        auto r = await<QStringList>(
            [&](QObject *ctx, auto done) { m_client->listNamespaces(ctx, done); });
        VERIFY_FAILED(r);
        QCOMPARE(r.error().kind, WhiskError::Kind::Http);
        QCOMPARE(r.error().httpStatus, 401);
        QVERIFY(!r.error().whiskError.isEmpty());
        QVERIFY(!r.error().requestId.isEmpty());
        QCOMPARE(r.error().message,
                 u"Listing namespaces failed: 401 Unauthorized — "_s + r.error().whiskError);

        e.authKey.clear();
        m_client->setEndpoint(e);
        auto none = await<Action>([&](QObject *ctx, auto done) {
            m_client->getAction(qn(u"x"_s), true, ctx, done);
        });
        VERIFY_FAILED(none);
        QCOMPARE(none.error().httpStatus, 401);
        QVERIFY(!none.error().whiskError.isEmpty());
    }

    void forbiddenOtherNamespace()
    {
        auto r = await<Action>([&](QObject *ctx, auto done) {
            m_client->putAction(qn(u"sneaky"_s, {}, u"whisk.system"_s),
                                nodeActionEntity(u"function main(){return {}}"_s), false, ctx,
                                done);
        });
        VERIFY_FAILED(r);
        QCOMPARE(r.error().httpStatus, 403);
        QVERIFY(r.error().message.startsWith(u"Creating action 'sneaky' failed: 403 Forbidden — "_s));
    }
};

QTEST_GUILESS_MAIN(TestWhiskClient)
#include "tst_whiskclient.moc"
