// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entities.h"
#include "httpjournal.h"
#include "result.h"

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QUrlQuery>

#include <functional>
#include <memory>
#include <optional>

namespace Feedscope {

class WhiskClient;

// How the model holds a client (STYLE.md 13): shared ownership, one client per endpoint. Every
// multi-step operation (FeedLifecycle, ConformanceCheck, OrphanScan, LifecycleJournal retries,
// BlueprintDeployer) keeps the client it started with alive until its last step, so switching
// profiles never leaves a step talking to a destroyed client, nor to another endpoint.
using WhiskClientPtr = std::shared_ptr<WhiskClient>;

// Where and as whom the client talks: an OpenWhisk API host, a key and a default namespace.
struct WhiskEndpoint
{
    QString apiHost; // "http://127.0.0.1:3233"; a bare host gets https://, like the clients
    QString authKey; // "uuid:key"
    QString ns = QStringLiteral("_");

    QString baseUrl() const;
};

// One HTTP exchange as the client saw it.
struct WhiskResponse
{
    int status = 0;
    QByteArray body;
    QJsonValue json;      // parsed body (Undefined when not JSON)
    QString requestId;    // X-Request-ID
    QString activationId; // x-openwhisk-activation-id
};

struct InvokeOptions
{
    bool blocking = false;
    bool result = false;
    int timeoutMs = 60000; // server-side wait for blocking invokes (<= 60000)
};

// What an invoke produced: the record (blocking and finished), the bare result (result=true),
// or only an id (non-blocking, or blocking that outlived the server's wait: HTTP 202).
struct InvokeResult
{
    QString activationId;
    std::optional<ActivationRecord> record;
    QJsonValue result;
    bool finished = false;
};

struct ActivationFilter
{
    QString name; // simple name or "pkg/name"
    qint64 since = 0;
    qint64 upto = 0;
    int limit = 30;
    int skip = 0;
    bool docs = false;
};

// The OpenWhisk REST client of the model layer (PROTOCOL.md 1). One QNetworkAccessManager;
// one small request object per call that owns its reply, enforces a timeout and delivers one
// Result. Every call takes a context object: when it is destroyed the reply is aborted and the
// callback dropped, so a closed editor never sees a late answer. Every exchange is recorded in
// journal() with the key redacted.
class WhiskClient : public QObject
{
    Q_OBJECT

public:
    template<typename T>
    using Callback = std::function<void(Result<T>)>;

    explicit WhiskClient(QObject *parent = nullptr);

    // A shared client for `endpoint`, recording into `journal` (its own journal when null). The
    // last owner may let go inside one of the client's own reply callbacks, so it is deleted
    // with deleteLater().
    static WhiskClientPtr create(const WhiskEndpoint &endpoint, HttpJournal *journal = nullptr);

    void setEndpoint(const WhiskEndpoint &endpoint) { m_endpoint = endpoint; }
    const WhiskEndpoint &endpoint() const { return m_endpoint; }
    HttpJournal *journal() { return m_sharedJournal ? m_sharedJournal.data() : &m_journal; }
    // Records into `journal` instead of the client's own (the app keeps one journal for every
    // profile's client, so the HTTP log survives a profile switch).
    void setJournal(HttpJournal *journal) { m_sharedJournal = journal; }
    // Marks what this client records as background traffic (polling, pings), which the HTTP log
    // can hide.
    void setBackground(bool background) { m_background = background; }
    // The longest any call may wait for its reply (default 75 s: a blocking invoke's 60 s plus
    // slack).
    void setTimeout(int ms) { m_timeoutMs = ms; }

    // A name the way the CLI reads it: "x", "pkg/x", "/ns/x", "/ns/pkg/x"; relative names
    // take the endpoint's namespace ("_" when none is configured).
    std::optional<QualifiedName> qualify(const QString &name) const;

    // The generic call under every typed one. `path` is below /api/v1/ (e.g.
    // "namespaces/_/actions/x"); `what` names the operation for error messages ("Creating rule
    // 'r1'").
    void call(const QByteArray &method,
              const QString &path,
              const QUrlQuery &query,
              const QJsonValue &body,
              const QString &what,
              QObject *context,
              Callback<WhiskResponse> done,
              int timeoutMs = 0);

    // Namespaces and limits
    void listNamespaces(QObject *context, Callback<QStringList> done);
    void limits(QObject *context, Callback<QJsonObject> done);

    // Actions
    void listActions(const QString &package,
                     int limit,
                     int skip,
                     QObject *context,
                     Callback<QList<Action>> done);
    void
    getAction(const QualifiedName &name, bool withCode, QObject *context, Callback<Action> done);
    void putAction(const QualifiedName &name,
                   const Action &action,
                   bool overwrite,
                   QObject *context,
                   Callback<Action> done);
    void deleteAction(const QualifiedName &name, QObject *context, Callback<Action> done);
    void invoke(const QualifiedName &name,
                const QJsonObject &params,
                const InvokeOptions &options,
                QObject *context,
                Callback<InvokeResult> done);
    // The URL invoke() sends to for `name` and `options` (the lifecycle console shows it).
    QUrl invokeUrl(const QualifiedName &name, const InvokeOptions &options) const;

    // Packages and bindings
    void listPackages(
        const QString &ns, int limit, int skip, QObject *context, Callback<QList<Package>> done);
    void getPackage(const QualifiedName &name, QObject *context, Callback<Package> done);
    void putPackage(const QualifiedName &name,
                    const Package &package,
                    bool overwrite,
                    QObject *context,
                    Callback<Package> done);
    void
    deletePackage(const QualifiedName &name, bool force, QObject *context, Callback<Package> done);

    // Triggers
    void listTriggers(int limit, int skip, QObject *context, Callback<QList<Trigger>> done);
    void getTrigger(const QualifiedName &name, QObject *context, Callback<Trigger> done);
    void putTrigger(const QualifiedName &name,
                    const Trigger &trigger,
                    bool overwrite,
                    QObject *context,
                    Callback<Trigger> done);
    void deleteTrigger(const QualifiedName &name, QObject *context, Callback<Trigger> done);
    // 202 → the trigger activation id; 204 (no active rule) → an empty string.
    void fire(const QualifiedName &name,
              const QJsonObject &payload,
              QObject *context,
              Callback<QString> done);

    // Rules
    void listRules(int limit, int skip, QObject *context, Callback<QList<Rule>> done);
    void getRule(const QualifiedName &name, QObject *context, Callback<Rule> done);
    void putRule(const QualifiedName &name,
                 const QString &trigger,
                 const QString &action,
                 bool overwrite,
                 QObject *context,
                 Callback<Rule> done);
    void deleteRule(const QualifiedName &name, QObject *context, Callback<Rule> done);
    // The controller answers a plain-text "OK".
    void
    setRuleActive(const QualifiedName &name, bool active, QObject *context, Callback<Done> done);

    // Activations
    void listActivations(const ActivationFilter &filter,
                         QObject *context,
                         Callback<QList<ActivationRecord>> done);
    void getActivation(const QString &id, QObject *context, Callback<ActivationRecord> done);
    void activationLogs(const QString &id, QObject *context, Callback<QStringList> done);
    void activationResult(const QString &id, QObject *context, Callback<QJsonObject> done);

private:
    QString entityPath(const QString &collection, const QualifiedName &name) const;
    QUrl url(const QString &path, const QUrlQuery &query) const;
    static QUrlQuery invokeQuery(const InvokeOptions &options);
    template<typename T>
    void fetch(const QByteArray &method,
               const QString &path,
               const QUrlQuery &query,
               const QJsonValue &body,
               const QString &what,
               QObject *context,
               Callback<T> done,
               T (*convert)(const QJsonObject &));
    template<typename T>
    void fetchList(const QString &path,
                   const QUrlQuery &query,
                   const QString &what,
                   QObject *context,
                   Callback<QList<T>> done,
                   T (*convert)(const QJsonObject &));

    QNetworkAccessManager m_network;
    HttpJournal m_journal;
    QPointer<HttpJournal> m_sharedJournal;
    WhiskEndpoint m_endpoint;
    int m_timeoutMs = 75000;
    bool m_background = false;
};

} // namespace Feedscope
