// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/apicall.h"
#include "api/services.h"
#include "feedstore.h"
#include "loopbackclient.h"
#include "provider.h"

#include <QHash>
#include <QNetworkAccessManager>
#include <QObject>

namespace Feedscope::Engine {

// Hosts the built-in providers: their REST API (our extension, called by the system feed
// actions under resources/catalog/), their stored feeds and status, firing with retries and
// auto-disable, and restarting active feeds when the engine starts.
//
//   POST   /feedscope/v1/providers/{p}/feeds                 {triggerName, ...params}  CREATE
//   GET    /feedscope/v1/providers/{p}/feeds/{ns}/{trigger}                            READ
//   PATCH  /feedscope/v1/providers/{p}/feeds/{ns}/{trigger}  {...params}               UPDATE
//   DELETE /feedscope/v1/providers/{p}/feeds/{ns}/{trigger}                            DELETE
//   POST   /feedscope/v1/providers/{p}/feeds/{ns}/{trigger}/pause | /resume  PAUSE / UNPAUSE
//   GET    /feedscope/v1/providers/{p}/stats   (DELETE: read and reset)   whisk.system only
//
// Every call carries the trigger owner's key as Basic auth; it is checked by reading the
// trigger with it, as the upstream providers do.
class FeedService : public QObject, public FeedHost
{
    Q_OBJECT

public:
    explicit FeedService(Services &services, QObject *parent = nullptr);
    ~FeedService() override;

    void addProvider(Provider *provider);
    // The engine's own URL, for firing through the public endpoint; then resumes active feeds.
    void start(const QString &engineUrl);

    void handle(const ApiCallPtr &call, const QStringList &segments);

    // FeedHost
    void fire(const FeedRecord &feed,
              const QJsonObject &payload,
              std::function<void(bool)> done) override;
    void fireAndSave(const FeedRecord &feed,
                     const QJsonObject &payload,
                     const QJsonObject &state,
                     std::function<void(bool)> done) override;
    void saveState(const FeedRecord &feed, const QJsonObject &state) override;
    void disable(const FeedRecord &feed, const QJsonObject &reason) override;
    void deleteTrigger(const FeedRecord &feed, bool withRules) override;

private:
    void create(const ApiCallPtr &call, Provider *provider);
    void read(const ApiCallPtr &call, const FeedRecord &feed);
    void update(const ApiCallPtr &call, Provider *provider, const FeedRecord &feed);
    void remove(const ApiCallPtr &call, Provider *provider, const FeedRecord &feed);
    void setPaused(const ApiCallPtr &call, Provider *provider, FeedRecord feed, bool paused);
    QString checkedTrigger(const ApiCall &call,
                           const QString &ns,
                           const QString &name,
                           bool allowMissing) const;
    void fireAttempt(const FeedRecord &feed,
                     const QByteArray &body,
                     int attempt,
                     int count429,
                     const QByteArray &fireToken,
                     std::function<void(bool)> done);
    void ownerRequest(const FeedRecord &feed,
                      const QByteArray &method,
                      const QString &path,
                      std::function<void()> done);

    Services &m_s;
    FeedStore m_store;
    QHash<QString, Provider *> m_providers;
    QNetworkAccessManager m_network; // owner requests (deleteAfterFire)
    LoopbackClient m_fireClient;     // fires
    QString m_engineUrl;
};

} // namespace Feedscope::Engine
