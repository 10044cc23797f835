// SPDX-License-Identifier: GPL-3.0-or-later
// Shared by the WhiskClient suites (tst_whiskclient, tst_whiskclienttriggers,
// tst_whiskclienterrors, tst_httpjournal): awaiting a callback, error descriptions, small entity
// builders, and the fixture holding the engine and the client under test.
#pragma once

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

namespace Feedscope::Testing {

using namespace Qt::StringLiterals;

inline const QString slowCode
    = u"function main(){return new Promise(r=>setTimeout(()=>r({}),1500))}"_s;

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

inline QString kindName(WhiskError::Kind kind)
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

inline QualifiedName
qn(const QString &name, const QString &package = {}, const QString &ns = u"_"_s)
{
    return QualifiedName{ns, package, name};
}

inline Action nodeActionEntity(const QString &code)
{
    Action a;
    a.kind = u"nodejs:20"_s;
    a.code = code;
    return a;
}

inline QString json(const QJsonValue &v)
{
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    return QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact));
}

inline bool isHex32(const QString &id)
{
    static const QRegularExpression hex(u"^[0-9a-f]{32}$"_s);
    return hex.match(id).hasMatch();
}

// Every text a journal entry keeps, for "the key is nowhere in it".
inline QByteArray entryText(const HttpJournal::Entry &e)
{
    QByteArray all = e.method + ' ' + e.url.toEncoded() + ' ' + e.url.toString().toUtf8() + ' '
                     + e.requestBody + ' ' + e.responseBody + ' ' + e.error.toUtf8() + ' '
                     + e.requestId.toUtf8();
    for (const auto &h : e.requestHeaders)
        all += ' ' + h.first + ": " + h.second;
    all += ' ' + HttpJournal::toCurl(e).toUtf8();
    return all;
}

inline int closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 1;
    const int port = server.serverPort();
    server.close();
    return port;
}

// The engine every suite starts and the client under test, recreated for every test function.
class WhiskClientFixture
{
protected:
    EngineProcess m_engine;
    std::unique_ptr<WhiskClient> m_client;

    WhiskEndpoint endpoint(const QString &ns = u"_"_s) const
    {
        return WhiskEndpoint{m_engine.baseUrl(), QString::fromLatin1(guestKey), ns};
    }

    // Seeds an action through the raw fixture (not the client under test).
    void seedAction(const QString &path, const QString &code, const QJsonArray &annotations = {})
    {
        QJsonObject body = nodeAction(code);
        if (!annotations.isEmpty())
            body.insert(u"annotations"_s, annotations);
        const HttpResult r
            = m_engine.put(u"/api/v1/namespaces/_/actions/"_s + path + u"?overwrite=true"_s, body);
        QVERIFY2(r.status == 200, r.body.constData());
    }

    Result<InvokeResult>
    invokeBlocking(const QString &name, const QJsonObject &params = {}, bool resultOnly = false)
    {
        InvokeOptions o;
        o.blocking = true;
        o.result = resultOnly;
        return await<InvokeResult>([&](QObject *ctx, auto done) {
            m_client->invoke(*m_client->qualify(name), params, o, ctx, done);
        });
    }
};

} // namespace Feedscope::Testing

#define VERIFY_OK(r) QVERIFY2((r).ok(), qPrintable((r).error().message))
#define VERIFY_FAILED(r) QVERIFY2(!(r).ok(), "expected an error, the call succeeded")
