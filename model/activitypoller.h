// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entitytreemodel.h"
#include "whiskclient.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace Feedscope {

// Counts what happens in a namespace for the explorer: trigger fires and action runs (with
// their failures and the time of the newest), from activation summaries polled with
// `since` (PROTOCOL.md 1.10) — the one way that works against any OpenWhisk. Activations are
// de-duplicated by id; a page that comes back full is followed by the next one (skip), so a
// burst is counted whole up to maxPages() pages per poll. ActivationStream (the live monitor's
// ingest: push from the local engine, adaptive polling elsewhere) supersedes this polling; once
// the explorer and the monitor share one stream per session, this class should count from
// ActivationStream::activations() instead of polling on its own.
class ActivityPoller : public QObject
{
    Q_OBJECT

public:
    ActivityPoller(WhiskClientPtr client, EntityTreeModel *model, QObject *parent = nullptr);

    void setInterval(int ms) { m_timer.setInterval(ms); }
    int interval() const { return m_timer.interval(); }
    // Activations that started up to this long before start() are counted too (default 5 min),
    // so a namespace that is already busy shows it at once.
    void setLookBack(qint64 ms) { m_lookBackMs = ms; }
    static constexpr int pageSize = 200;
    static constexpr int maxPages = 10;

    void start();
    void stop();
    // Polls now (after a fire the app sent itself).
    void pollNow();

    int seen() const { return m_seenTotal; }

Q_SIGNALS:
    // One poll finished: how many activations were new.
    void polled(int fresh);
    void pollFailed(const QString &message);

private:
    void poll(int skip, int freshSoFar);
    bool account(const ActivationRecord &record);

    WhiskClientPtr m_client;
    QPointer<EntityTreeModel> m_model;
    QTimer m_timer;
    qint64 m_lookBackMs = 5 * 60 * 1000;
    qint64 m_since = 0;           // newest start seen; the next poll asks from a little before
    QHash<QString, qint64> m_ids; // activation id → start, pruned behind the window
    bool m_polling = false;
    int m_seenTotal = 0;
};

} // namespace Feedscope
