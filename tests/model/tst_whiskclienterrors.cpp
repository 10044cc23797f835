// SPDX-License-Identifier: GPL-3.0-or-later
// WhiskClient failures against a real feedscope-engine (PROTOCOL.md 1; STYLE.md 11-13):
// cancellation by context, client and per-call timeouts, network errors, 401 and 403.
#include "whiskclienttesthelpers.h"

#include <QTest>

using namespace Feedscope;
using namespace Feedscope::Testing;
using namespace Qt::StringLiterals;

class TestWhiskClientErrors : public QObject, private WhiskClientFixture
{
    Q_OBJECT

    // One more answer through the same client: what the engine sent before it has arrived.
    void roundTrip()
    {
        auto ns = await<QStringList>(
            [&](QObject *ctx, auto done) { m_client->listNamespaces(ctx, done); });
        VERIFY_OK(ns);
    }

    // Instead of sleeping past a cancelled call of the slow `action`: until a later call of it
    // came back (the cancelled one, if it was sent at all, started first and takes as long, so
    // its answer was sent before) and one more round trip went by. A callback that survived
    // its context would have run by then. The later call is also the control: a living context
    // does get its answer.
    void settle(const QString &action)
    {
        auto control = invokeBlocking(action);
        VERIFY_OK(control);
        QVERIFY(control->finished);
        roundTrip();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString())); }

    void init()
    {
        m_client = std::make_unique<WhiskClient>();
        m_client->setEndpoint(endpoint());
    }

    void cleanup() { m_client.reset(); }

    // ---------------------------------------------------------------- cancellation

    void contextDeletionCancels()
    {
        seedAction(u"slowcancel"_s, slowCode);
        bool called = false;
        auto *context = new QObject;
        InvokeOptions o;
        o.blocking = true;
        m_client->invoke(qn(u"slowcancel"_s), {}, o, context, [&called](Result<InvokeResult>) {
            called = true;
        });
        delete context;
        settle(u"slowcancel"_s);
        QVERIFY(!called);

        // Same with a quick call: deleted before the event loop ever ran.
        bool quickCalled = false;
        auto *quick = new QObject;
        m_client->listNamespaces(quick,
                                 [&quickCalled](Result<QStringList>) { quickCalled = true; });
        delete quick;
        roundTrip();
        QVERIFY(!quickCalled);

        // The client still works afterwards (settle's control and round trip got answers).
    }

    void contextDeletedLaterCancels()
    {
        seedAction(u"slowcancel2"_s, slowCode);
        bool called = false;
        auto *context = new QObject;
        InvokeOptions o;
        o.blocking = true;
        m_client->invoke(qn(u"slowcancel2"_s), {}, o, context, [&called](Result<InvokeResult>) {
            called = true;
        });
        QTimer::singleShot(200, context, [context] { context->deleteLater(); });
        settle(u"slowcancel2"_s);
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
        QVERIFY2(!r.ok(),
                 "setTimeout(300) should stop a blocking invoke of a 1.5 s action, but "
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
            m_client->call("POST",
                           u"namespaces/_/actions/slowcall"_s,
                           q,
                           QJsonObject{},
                           u"Invoking action 'slowcall'"_s,
                           ctx,
                           done,
                           300);
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
        auto none = await<Action>(
            [&](QObject *ctx, auto done) { m_client->getAction(qn(u"x"_s), true, ctx, done); });
        VERIFY_FAILED(none);
        QCOMPARE(none.error().httpStatus, 401);
        QVERIFY(!none.error().whiskError.isEmpty());
    }

    void forbiddenOtherNamespace()
    {
        auto r = await<Action>([&](QObject *ctx, auto done) {
            m_client->putAction(qn(u"sneaky"_s, {}, u"whisk.system"_s),
                                nodeActionEntity(u"function main(){return {}}"_s),
                                false,
                                ctx,
                                done);
        });
        VERIFY_FAILED(r);
        QCOMPARE(r.error().httpStatus, 403);
        QVERIFY(
            r.error().message.startsWith(u"Creating action 'sneaky' failed: 403 Forbidden — "_s));
    }
};

QTEST_GUILESS_MAIN(TestWhiskClientErrors)
#include "tst_whiskclienterrors.moc"
