// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A loopback TCP proxy in front of an engine that breaks chosen HTTP requests, so that a test
// can prove what a client does when the network fails at one exact step of a multi-request
// operation. It parses just enough HTTP/1.1 (request line, headers, Content-Length body; the
// answer's Content-Length or chunked framing) to count requests on the client side and to know
// where each answer ends; keep-alive connections are followed request by request. Everything
// runs on the caller's thread, on its event loop.
#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QRegularExpression>
#include <QStringList>
#include <QTcpServer>

namespace Feedscope::Testing {

class FaultProxy : public QObject
{
    Q_OBJECT

public:
    enum class Fault {
        Pass,        // forwarded, answered as the engine answered
        Drop,        // the client's connection is closed before the request is forwarded
        Reset,       // forwarded; once the engine answered, the client's connection is aborted
        Delay,       // forwarded; the answer is held back `delayMs` before it is passed on
        Unavailable, // not forwarded: the proxy answers 503 itself (keep-alive kept)
        CutResponse, // forwarded; the first half of the answer is passed on, then the close
    };

    // Applies to the `nth` request (1-based, counted over all connections since reset()), or,
    // when nth is 0, to requests whose "METHOD /path?query" matches `pattern`; `times` such
    // requests (-1: every one).
    struct Rule
    {
        Fault fault = Fault::Pass;
        int nth = 0;
        QRegularExpression pattern = {};
        int delayMs = 0;
        int times = 1;
    };

    explicit FaultProxy(quint16 targetPort, QObject *parent = nullptr);
    ~FaultProxy() override;

    // Listens on an ephemeral loopback port.
    bool listen();
    quint16 port() const;
    QString baseUrl() const; // "http://127.0.0.1:<port>"

    void addRule(const Rule &rule);
    // Forgets the rules, the request count and the log (open connections stay).
    void reset();

    // Requests seen since reset(), and each one's "METHOD /path" with the fault applied to it
    // ("POST /api/... [cut]").
    int requestCount() const { return m_requestCount; }
    QStringList log() const { return m_log; }
    int faultsInjected() const { return m_faults; }

    static QString faultName(Fault fault);

private:
    friend class FaultProxyConnection;
    // Counts a request and picks its fault (consuming the matching rule once).
    Rule ruleFor(const QByteArray &method, const QByteArray &target);

    QTcpServer m_server;
    quint16 m_targetPort;
    QList<Rule> m_rules;
    int m_requestCount = 0;
    int m_faults = 0;
    QStringList m_log;
};

} // namespace Feedscope::Testing
