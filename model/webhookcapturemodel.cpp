// SPDX-License-Identifier: GPL-3.0-or-later
#include "webhookcapturemodel.h"

#include "httpjournalmodel.h"
#include "webhookrelay.h"

namespace Feedscope {

WebhookCaptureModel::WebhookCaptureModel(WebhookRelay *relay, QObject *parent)
    : QAbstractTableModel(parent)
    , m_relay(relay)
{
    m_batch.setSingleShot(true);
    m_batch.setInterval(50);
    connect(&m_batch, &QTimer::timeout, this, &WebhookCaptureModel::flush);
    if (!relay)
        return;
    connect(relay, &WebhookRelay::captureAdded, this, [this](qint64 id) {
        if (!wanted(id))
            return;
        m_pending.append(id);
        schedule();
    });
    connect(relay, &WebhookRelay::captureUpdated, this, [this](qint64 id) {
        // A pending row is published with its latest state anyway.
        if (!m_pending.contains(id) && rowOf(id) >= 0) {
            m_changed.append(id);
            schedule();
        }
    });
    connect(relay, &WebhookRelay::capturesDropped, this, [this](qint64 upToId) {
        m_droppedUpTo = qMax(m_droppedUpTo, upToId);
        schedule();
    });
    connect(relay, &WebhookRelay::capturesReset, this, &WebhookCaptureModel::reload);
    connect(relay, &QObject::destroyed, this, [this] {
        beginResetModel();
        m_ids.clear();
        m_pending.clear();
        m_changed.clear();
        endResetModel();
    });
    reload();
}

void WebhookCaptureModel::setTrigger(const QString &trigger)
{
    if (trigger == m_trigger)
        return;
    m_trigger = trigger;
    reload();
}

bool WebhookCaptureModel::wanted(qint64 id) const
{
    const WebhookCapture *c = m_relay ? m_relay->capture(id) : nullptr;
    return c && (m_trigger.isEmpty() || c->request.trigger == m_trigger);
}

void WebhookCaptureModel::reload()
{
    m_batch.stop();
    beginResetModel();
    m_ids.clear();
    m_pending.clear();
    m_changed.clear();
    if (m_relay) {
        for (const WebhookCapture &c : m_relay->captures()) {
            if (m_trigger.isEmpty() || c.request.trigger == m_trigger)
                m_ids.append(c.id);
        }
    }
    endResetModel();
}

void WebhookCaptureModel::schedule()
{
    if (!m_batch.isActive())
        m_batch.start();
}

void WebhookCaptureModel::flush()
{
    m_batch.stop();
    // The oldest rows the relay dropped: the bottom of the table, one removal.
    qsizetype gone = 0;
    while (gone < m_ids.size() && m_ids.at(gone) <= m_droppedUpTo)
        ++gone;
    if (gone > 0) {
        const int count = int(m_ids.size());
        beginRemoveRows({}, count - int(gone), count - 1);
        m_ids.remove(0, gone);
        endRemoveRows();
    }
    // New captures at the top, one insert; some may already be gone again.
    QList<qint64> added;
    for (qint64 id : std::as_const(m_pending)) {
        if (id > m_droppedUpTo && m_relay && m_relay->capture(id))
            added.append(id);
    }
    m_pending.clear();
    if (!added.isEmpty()) {
        beginInsertRows({}, 0, int(added.size()) - 1);
        m_ids.append(added);
        endInsertRows();
    }
    // Outcomes that arrived: one dataChanged over the rows they span (a few, near the top).
    int top = -1;
    int bottom = -1;
    for (qint64 id : std::as_const(m_changed)) {
        const int row = rowOf(id);
        if (row < 0)
            continue;
        top = top < 0 ? row : qMin(top, row);
        bottom = qMax(bottom, row);
    }
    m_changed.clear();
    if (top >= 0)
        Q_EMIT dataChanged(index(top, 0), index(bottom, ColumnCount - 1));
}

int WebhookCaptureModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_ids.size());
}

int WebhookCaptureModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

qint64 WebhookCaptureModel::captureId(int row) const
{
    if (row < 0 || row >= m_ids.size())
        return 0;
    return m_ids.at(m_ids.size() - 1 - row);
}

const WebhookCapture *WebhookCaptureModel::capture(int row) const
{
    const qint64 id = captureId(row);
    return id != 0 && m_relay ? m_relay->capture(id) : nullptr;
}

int WebhookCaptureModel::rowOf(qint64 id) const
{
    const auto it = std::lower_bound(m_ids.cbegin(), m_ids.cend(), id);
    if (it == m_ids.cend() || *it != id)
        return -1;
    return int(m_ids.size() - 1 - (it - m_ids.cbegin()));
}

QString WebhookCaptureModel::outcomeText(const WebhookCapture &c)
{
    switch (c.outcome()) {
    case WebhookCapture::Outcome::Pending: return tr("waiting for the API…");
    case WebhookCapture::Outcome::Fired:
        return c.activationId.isEmpty()
                   ? tr("%1 · fired").arg(c.status)
                   : tr("%1 · activation %2").arg(c.status).arg(c.activationId);
    case WebhookCapture::Outcome::NoActiveRule: return tr("204 · no active rule, nothing ran");
    case WebhookCapture::Outcome::Throttled: return tr("429 · throttled: %1").arg(c.error);
    case WebhookCapture::Outcome::Refused:
        return tr("%1 · refused by the relay: %2").arg(c.status).arg(c.error);
    case WebhookCapture::Outcome::Failed:
        return c.error.isEmpty() ? QString::number(c.status)
                                 : tr("%1 · %2").arg(c.status).arg(c.error);
    }
    return {};
}

QString WebhookCaptureModel::cell(const WebhookCapture &c, int column) const
{
    switch (column) {
    case Time: return c.receivedAt.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz"));
    case Source: return WebhookCapture::sourceName(c.source);
    case Method: return QString::fromLatin1(c.request.method);
    case ContentType: {
        const QByteArray type = c.request.contentType();
        return type.isEmpty() ? QStringLiteral("—") : QString::fromLatin1(type);
    }
    case Size: return HttpJournalModel::sizeText(c.request.body.size());
    case Status: return c.status == 0 ? QStringLiteral("…") : QString::number(c.status);
    case Activation:
        if (!c.activationId.isEmpty())
            return c.activationId;
        if (c.outcome() == WebhookCapture::Outcome::NoActiveRule)
            return tr("no active rule");
        return c.error;
    }
    return {};
}

QVariant WebhookCaptureModel::data(const QModelIndex &index, int role) const
{
    const WebhookCapture *c = index.isValid() ? capture(index.row()) : nullptr;
    if (!c)
        return {};
    switch (role) {
    case Qt::DisplayRole: return cell(*c, index.column());
    case Qt::ToolTipRole:
        if (index.column() == Time)
            return QLocale().toString(c->receivedAt.toLocalTime(), QLocale::LongFormat);
        if (index.column() == Status || index.column() == Activation)
            return outcomeText(*c);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Size || index.column() == Status)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case CaptureIdRole: return c->id;
    case OutcomeRole: return int(c->outcome());
    }
    return {};
}

QVariant WebhookCaptureModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time: return tr("Time");
    case Source: return tr("Source");
    case Method: return tr("Method");
    case ContentType: return tr("Content type");
    case Size: return tr("Size");
    case Status: return tr("Status");
    case Activation: return tr("Activation");
    }
    return {};
}

} // namespace Feedscope
