// SPDX-License-Identifier: GPL-3.0-or-later
// The model's OpenWhisk REST client against a real feedscope-engine (PROTOCOL.md 1; STYLE.md
// 11-13): the endpoint and generic calls, namespaces, limits, actions, invoke, packages and
// bindings, and qualify(). Triggers, rules and activations: tst_whiskclienttriggers.cpp; errors,
// cancellation and timeouts: tst_whiskclienterrors.cpp; the HTTP journal: tst_httpjournal.cpp.
#include "whiskclienttesthelpers.h"

#include <QTest>

using namespace Feedscope;
using namespace Feedscope::Testing;
using namespace Qt::StringLiterals;

class TestWhiskClient : public QObject, private WhiskClientFixture
{
    Q_OBJECT

private:
    // The test slot invokeBlocking() would hide the fixture's helper of the same name.
    using WhiskClientFixture::invokeBlocking;

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString())); }

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
            m_client->call("GET",
                           u"namespaces/_/actions/nope-generic"_s,
                           {},
                           {},
                           u"Reading action 'nope-generic'"_s,
                           ctx,
                           done);
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
        for (const char *key : {"invocationsPerMinute",
                                "concurrentInvocations",
                                "firesPerMinute",
                                "maxActionMemory",
                                "minActionMemory",
                                "maxActionTimeout"}) {
            QVERIFY2(r->value(QLatin1String(key)).toInt() > 0, key);
        }

        // Also through the explicit namespace.
        m_client->setEndpoint(endpoint(u"guest"_s));
        auto named
            = await<QJsonObject>([&](QObject *ctx, auto done) { m_client->limits(ctx, done); });
        VERIFY_OK(named);
        QCOMPARE(named->value(u"invocationsPerMinute"_s), r->value(u"invocationsPerMinute"_s));
    }

    // ---------------------------------------------------------------- actions

    void actionCreateConflictGetListDelete()
    {
        Action a = nodeActionEntity(u"function main(p) { return {hello: p.name}; }"_s);
        a.parameters.set(u"name"_s, u"world"_s);
        a.annotations.set(u"description"_s, u"greets"_s);

        auto created = await<Action>(
            [&](QObject *ctx, auto done) { m_client->putAction(qn(u"x"_s), a, false, ctx, done); });
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
        auto conflict = await<Action>(
            [&](QObject *ctx, auto done) { m_client->putAction(qn(u"x"_s), a, false, ctx, done); });
        VERIFY_FAILED(conflict);
        const WhiskError &e = conflict.error();
        QCOMPARE(e.kind, WhiskError::Kind::Http);
        QCOMPARE(e.httpStatus, 409);
        QCOMPARE(e.whiskError, u"resource already exists"_s);
        QCOMPARE(e.requestId.size(), 32);
        QCOMPARE(e.message,
                 u"Creating action 'x' failed: 409 Conflict — resource already exists"_s);
        QCOMPARE(e.toString(), e.message);
        QCOMPARE(e.body.toObject().value(u"code"_s).toString(), e.requestId);

        // get with and without code
        auto withCode = await<Action>(
            [&](QObject *ctx, auto done) { m_client->getAction(qn(u"x"_s), true, ctx, done); });
        VERIFY_OK(withCode);
        QCOMPARE(withCode->code, a.code);
        QCOMPARE(withCode->kind, u"nodejs:20"_s);
        QCOMPARE(withCode->limits.value(u"timeout"_s).toInt(), 60000);
        auto noCode = await<Action>(
            [&](QObject *ctx, auto done) { m_client->getAction(qn(u"x"_s), false, ctx, done); });
        VERIFY_OK(noCode);
        QVERIFY(noCode->code.isEmpty());
        QCOMPARE(noCode->kind, u"nodejs:20"_s);
        QCOMPARE(noCode->name, u"x"_s);

        // Update bumps the version.
        a.code = u"function main() { return {v: 2}; }"_s;
        auto updated = await<Action>(
            [&](QObject *ctx, auto done) { m_client->putAction(qn(u"x"_s), a, true, ctx, done); });
        VERIFY_OK(updated);
        QCOMPARE(updated->version, u"0.0.2"_s);
        QCOMPARE(updated->code, a.code);

        // list (summaries: no code), paging
        seedAction(u"x2"_s, u"function main(){return {}}"_s);
        auto list = await<QList<Action>>(
            [&](QObject *ctx, auto done) { m_client->listActions({}, 0, 0, ctx, done); });
        VERIFY_OK(list);
        QStringList names;
        for (const Action &item : *list) {
            names << item.name;
            QVERIFY(item.code.isEmpty());
        }
        QVERIFY2(names.contains(u"x"_s) && names.contains(u"x2"_s), qPrintable(names.join(u',')));
        auto one = await<QList<Action>>(
            [&](QObject *ctx, auto done) { m_client->listActions({}, 1, 0, ctx, done); });
        VERIFY_OK(one);
        QCOMPARE(one->size(), 1);
        auto skipped = await<QList<Action>>(
            [&](QObject *ctx, auto done) { m_client->listActions({}, 1, 1, ctx, done); });
        VERIFY_OK(skipped);
        QCOMPARE(skipped->size(), 1);
        QVERIFY(skipped->first().name != one->first().name);

        // delete
        auto deleted = await<Action>(
            [&](QObject *ctx, auto done) { m_client->deleteAction(qn(u"x"_s), ctx, done); });
        VERIFY_OK(deleted);
        QCOMPARE(deleted->name, u"x"_s);
        auto gone = await<Action>(
            [&](QObject *ctx, auto done) { m_client->getAction(qn(u"x"_s), true, ctx, done); });
        VERIFY_FAILED(gone);
        QCOMPARE(gone.error().httpStatus, 404);
        QCOMPARE(gone.error().message,
                 u"Reading action 'x' failed: 404 Not Found — The requested resource does not "
                 "exist."_s);
        auto again = await<Action>(
            [&](QObject *ctx, auto done) { m_client->deleteAction(qn(u"x"_s), ctx, done); });
        VERIFY_FAILED(again);
        QCOMPARE(again.error().httpStatus, 404);
        QVERIFY(again.error().message.startsWith(u"Deleting action 'x' failed: 404 Not Found"_s));
    }

    void actionRoundTrip()
    {
        QJsonObject body = nodeAction(u"function run(p) { return p; }"_s);
        body.insert(u"exec"_s,
                    QJsonObject{{u"kind"_s, u"nodejs:20"_s},
                                {u"code"_s, u"function run(p) { return p; }"_s},
                                {u"main"_s, u"run"_s}});
        body.insert(
            u"parameters"_s,
            QJsonArray{QJsonObject{{u"key"_s, u"n"_s}, {u"value"_s, 42}},
                       QJsonObject{{u"key"_s, u"nested"_s},
                                   {u"value"_s, QJsonObject{{u"a"_s, QJsonArray{1, u"b"_s}}}}}});
        body.insert(u"annotations"_s,
                    QJsonArray{QJsonObject{{u"key"_s, u"description"_s}, {u"value"_s, u"rt"_s}},
                               QJsonObject{{u"key"_s, u"web-export"_s}, {u"value"_s, false}}});
        body.insert(
            u"limits"_s,
            QJsonObject{
                {u"timeout"_s, 5000}, {u"memory"_s, 128}, {u"logs"_s, 5}, {u"concurrency"_s, 1}});
        const HttpResult seeded = m_engine.put(u"/api/v1/namespaces/_/actions/roundtrip"_s, body);
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
                auto g = await<ActivationRecord>(
                    [&](QObject *ctx, auto done) { m_client->getActivation(id, ctx, done); });
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
        QVERIFY2(r.ok(),
                 QByteArray("an application error is a finished InvokeResult, not a "
                            "WhiskError: "
                            + describe(r))
                     .constData());
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
                                nodeActionEntity(u"function main(p){return p}"_s),
                                false,
                                ctx,
                                done);
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

        auto pkgActions = await<QList<Action>>(
            [&](QObject *ctx, auto done) { m_client->listActions(u"pkg"_s, 0, 0, ctx, done); });
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
        QVERIFY2(
            bad.error().message.startsWith(u"Creating binding 'bad' failed: 400 Bad Request — "_s),
            qPrintable(bad.error().message));

        // List summaries: binding false vs {namespace, name}.
        auto list = await<QList<Package>>(
            [&](QObject *ctx, auto done) { m_client->listPackages({}, 0, 0, ctx, done); });
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
        auto explicitNs = await<QList<Package>>(
            [&](QObject *ctx, auto done) { m_client->listPackages(u"guest"_s, 1, 0, ctx, done); });
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
        QTest::newRow("absolute") << u"_"_s << u"/ns/x"_s << true << u"ns"_s << QString() << u"x"_s;
        QTest::newRow("absolute package")
            << u"_"_s << u"/ns/pkg/x"_s << true << u"ns"_s << u"pkg"_s << u"x"_s;
        QTest::newRow("endpoint ns")
            << u"guest"_s << u"x"_s << true << u"guest"_s << QString() << u"x"_s;
        QTest::newRow("empty endpoint ns")
            << QString() << u"x"_s << true << u"_"_s << QString() << u"x"_s;
        QTest::newRow("absolute ignores endpoint ns")
            << u"guest"_s << u"/other/x"_s << true << u"other"_s << QString() << u"x"_s;
        QTest::newRow("empty") << u"_"_s << QString() << false << QString() << QString()
                               << QString();
        QTest::newRow("bad char") << u"_"_s << u"bad$"_s << false << QString() << QString()
                                  << QString();
        QTest::newRow("too deep") << u"_"_s << u"a/b/c"_s << false << QString() << QString()
                                  << QString();
        QTest::newRow("absolute too deep")
            << u"_"_s << u"/a/b/c/d"_s << false << QString() << QString() << QString();
        QTest::newRow("namespace only")
            << u"_"_s << u"/ns"_s << false << QString() << QString() << QString();
        QTest::newRow("trailing slash")
            << u"_"_s << u"pkg/"_s << false << QString() << QString() << QString();
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
            m_client->putAction(
                *name, nodeActionEntity(u"function main(){return {ok:1}}"_s), false, ctx, done);
        });
        VERIFY_OK(created);
        QCOMPARE(created->name, u"with space"_s);
        auto r = invokeBlocking(u"with space"_s);
        VERIFY_OK(r);
        QCOMPARE(r->result.toObject().value(u"ok"_s).toInt(), 1);
    }
};

QTEST_GUILESS_MAIN(TestWhiskClient)
#include "tst_whiskclient.moc"
