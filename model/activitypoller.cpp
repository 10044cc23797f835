// SPDX-License-Identifier: GPL-3.0-or-later
#include "activitypoller.h"

#include <QDateTime>

namespace Feedscope {

namespace {

// Action activations are written when they end, with their start time: one that started before
// the newest seen start still appears later. Asking from this far back (and de-duplicating)
// catches runs of up to this length.
constexpr qint64 overlapMs = 15 * 1000;

} // namespace

ActivityPoller::ActivityPoller(WhiskClientPtr client, EntityTreeModel *model, QObject *parent)
    : QObject(parent)
    , m_client(std::move(client))
    , m_model(model)
{
    m_timer.setInterval(2000);
    connect(&m_timer, &QTimer::timeout, this, &ActivityPoller::pollNow);
}

void ActivityPoller::start()
{
    if (m_since == 0)
        m_since = QDateTime::currentMSecsSinceEpoch() - m_lookBackMs;
    m_timer.start();
    pollNow();
}

void ActivityPoller::stop()
{
    m_timer.stop();
}

void ActivityPoller::pollNow()
{
    if (m_polling)
        return;
    m_polling = true;
    poll(0, 0);
}

void ActivityPoller::poll(int skip, int freshSoFar)
{
    ActivationFilter filter;
    filter.since = qMax<qint64>(0, m_since - overlapMs);
    filter.limit = pageSize;
    filter.skip = skip;
    m_client->listActivations(
        filter, this, [this, skip, freshSoFar](Result<QList<ActivationRecord>> r) {
            if (!r) {
                m_polling = false;
                Q_EMIT pollFailed(r.error().message);
                return;
            }
            int fresh = freshSoFar;
            for (const ActivationRecord &record : *r)
                fresh += account(record) ? 1 : 0;
            const bool more = r->size() == pageSize && skip / pageSize + 1 < maxPages;
            if (more) {
                poll(skip + pageSize, fresh);
                return;
            }
            // Forget ids that fell behind the window: they cannot come back.
            const qint64 horizon = m_since - 2 * overlapMs;
            m_ids.removeIf([horizon](const auto &it) { return it.value() < horizon; });
            m_polling = false;
            Q_EMIT polled(fresh);
        });
}

bool ActivityPoller::account(const ActivationRecord &record)
{
    if (record.activationId.isEmpty() || m_ids.contains(record.activationId))
        return false;
    m_ids.insert(record.activationId, record.start);
    m_since = qMax(m_since, record.start);
    ++m_seenTotal;
    if (!m_model)
        return true;
    const QString ns = m_model->ns();
    EntityTreeModel::Group group;
    QString name;
    if (record.isTrigger()) {
        group = EntityTreeModel::Group::Triggers;
        name = record.name;
    } else {
        group = EntityTreeModel::Group::Actions;
        // "guest/pkg/x" → "pkg/x"; actions of other namespaces (feed actions) are not shown.
        const QString path = record.path();
        if (path.isEmpty())
            name = record.name;
        else if (path.startsWith(ns + u'/'))
            name = path.mid(ns.size() + 1);
        else
            return true;
    }
    EntityActivity a = m_model->activity(group, name);
    a.count += 1;
    if (record.start >= a.lastMs) {
        a.lastMs = record.start;
        if (!record.isTrigger())
            a.lastStatus = record.statusCode;
    }
    if (!record.isTrigger() && record.statusCode > 0)
        a.errors += 1;
    m_model->setActivity(group, name, a);
    return true;
}

} // namespace Feedscope
