// SPDX-License-Identifier: GPL-3.0-or-later
#include "activationtablemodel.h"

#include "firefollower.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QPointer>

#include <cstring>

namespace Feedscope {

namespace {

// Enough for every visible cell of a few screens; cleared whole when full, which costs a
// rebuild of what is on screen, not a walk over the rows.
constexpr int textCacheLimit = 8192;
// Up to this many changed rows are announced one by one; more take one layoutChanged
// (STYLE.md 7).
constexpr int dirtyRowsPerRowSignal = 64;
// Links waiting for their action row; rule-fired actions usually arrive within seconds, so
// an overflow means they never will (filtered out, or trimmed).
constexpr int pendingLinkLimit = 20000;

quint64 bytesKey(const std::array<quint8, 16> &id)
{
    return quint64(qHash(QByteArrayView(id.data(), qsizetype(id.size())), 0));
}

} // namespace

ActivationTableModel::ActivationTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    // 50 ms: well under a frame budget at 20 ticks/s, and rows still appear "at once".
    m_batchTimer.setSingleShot(true);
    connect(&m_batchTimer, &QTimer::timeout, this, &ActivationTableModel::flush);
}

void ActivationTableModel::setRetention(int rows)
{
    rows = qMax(1, rows);
    if (rows == m_retention)
        return;
    m_retention = rows;
    Q_EMIT retentionChanged(rows);
    if (!m_batchTimer.isActive())
        m_batchTimer.start(m_batchMs);
}

void ActivationTableModel::setFeedActions(const QStringList &paths)
{
    m_feedActions.clear();
    for (const QString &p : paths)
        m_feedActions.insert(p.startsWith(u'/') ? p.mid(1) : p, true);
}

void ActivationTableModel::append(const QList<ActivationRecord> &records)
{
    for (const ActivationRecord &record : records)
        ingest(record);
    if ((pendingCount() == 0 && m_dirty.isEmpty()) || m_batchTimer.isActive())
        return;
    // Leading edge: after a quiet spell the first batch is shown at once (a single fire should
    // not wait for a tick); within a tick of the last publish it waits for the rest of the tick,
    // so a stream still gets at most one insert per interval.
    const qint64 since = m_sinceFlush.isValid() ? m_sinceFlush.elapsed() : m_batchMs;
    if (since >= m_batchMs)
        flush();
    else
        m_batchTimer.start(int(m_batchMs - since));
}

quint64 ActivationTableModel::keyOf(const ActivationRow &row)
{
    // Odd ids are keyed by their pool index (4 bytes, the rest zero): unique per string.
    return bytesKey(row.id) ^ (row.oddId ? 0x9e3779b97f4a7c15ULL : 0);
}

qint64 ActivationTableModel::seqOf(const QString &id) const
{
    ActivationRow probe;
    if (!packActivationId(id, probe.id)) {
        probe.oddId = true;
        const quint32 index = m_pool.find(id);
        if (index == 0)
            return -1; // never interned: no row holds it
        std::memcpy(probe.id.data(), &index, sizeof index);
    }
    const auto it = m_seqById.constFind(keyOf(probe));
    if (it == m_seqById.cend() || it.value() < m_firstSeq)
        return -1;
    const ActivationRow &row = m_rows[size_t(it.value() - m_firstSeq)];
    // A 64-bit hash collision is possible in principle: the row must hold this very id.
    return row.id == probe.id && row.oddId == probe.oddId ? it.value() : -1;
}

void ActivationTableModel::ingest(const ActivationRecord &record)
{
    if (record.activationId.isEmpty())
        return;
    ActivationRow row = makeActivationRow(record, m_pool, m_feedActions);
    const qint64 existing = seqOf(record.activationId);
    if (existing >= 0) {
        ActivationRow &old = m_rows[size_t(existing - m_firstSeq)];
        if (old.full && !row.full)
            return; // a summary never replaces the full record
        row.trigger = row.trigger ? row.trigger : old.trigger;
        row.rule = row.rule ? row.rule : old.rule;
        old = std::move(row);
        markDirty(existing);
        if (old.kind == ActivationKind::Trigger && old.full)
            linkOutcomes(record, old.name);
        return;
    }
    if (row.kind != ActivationKind::Trigger) {
        const auto link = m_pendingLinks.constFind(record.activationId);
        if (link != m_pendingLinks.cend()) {
            row.trigger = link->trigger;
            row.rule = link->rule;
            m_pendingLinks.erase(link);
        }
    }
    const qint64 seq = m_firstSeq + qint64(m_rows.size());
    m_seqById.insert(keyOf(row), seq);
    const bool isFullTrigger = row.kind == ActivationKind::Trigger && row.full;
    const quint32 name = row.name;
    m_rows.push_back(std::move(row));
    if (isFullTrigger)
        linkOutcomes(record, name);
}

void ActivationTableModel::linkOutcomes(const ActivationRecord &trigger, quint32 triggerName)
{
    for (const RuleOutcome &outcome : parseRuleOutcomes(trigger.logs)) {
        if (outcome.activationId.isEmpty())
            continue;
        Link link;
        link.trigger = triggerName;
        link.rule = m_pool.intern(localName(outcome.rule, trigger.ns));
        const qint64 seq = seqOf(outcome.activationId);
        if (seq < 0) {
            if (m_pendingLinks.size() >= pendingLinkLimit)
                m_pendingLinks.clear();
            m_pendingLinks.insert(outcome.activationId, link);
            continue;
        }
        ActivationRow &row = m_rows[size_t(seq - m_firstSeq)];
        row.trigger = link.trigger;
        row.rule = link.rule;
        markDirty(seq);
    }
}

void ActivationTableModel::markDirty(qint64 seq)
{
    if (seq - m_firstSeq < m_published)
        m_dirty.insert(seq);
    m_textCache.clear(); // version bump: every cached text may now be stale
    if (!m_batchTimer.isActive())
        m_batchTimer.start(m_batchMs);
}

void ActivationTableModel::flush()
{
    m_batchTimer.stop();
    m_sinceFlush.start();
    const int total = int(m_rows.size());
    if (total > m_published) {
        beginInsertRows({}, m_published, total - 1);
        m_published = total;
        endInsertRows();
    }
    if (!m_dirty.isEmpty()) {
        if (m_dirty.size() <= dirtyRowsPerRowSignal) {
            for (const qint64 seq : std::as_const(m_dirty)) {
                const int r = int(seq - m_firstSeq);
                if (r >= 0 && r < m_published)
                    Q_EMIT dataChanged(index(r, 0), index(r, ColumnCount - 1));
            }
        } else {
            Q_EMIT layoutAboutToBeChanged();
            Q_EMIT layoutChanged();
        }
        m_dirty.clear();
    }
    trim();
}

void ActivationTableModel::trim()
{
    const int batch = qMax(1, m_retention / 20);
    if (m_published <= m_retention + (m_retention >= 20 ? batch : 0))
        return;
    const int drop = m_published - m_retention;
    beginRemoveRows({}, 0, drop - 1);
    for (int i = 0; i < drop; ++i) {
        const ActivationRow &row = m_rows.front();
        const auto it = m_seqById.constFind(keyOf(row));
        if (it != m_seqById.cend() && it.value() == m_firstSeq)
            m_seqById.erase(it);
        m_rows.pop_front();
        ++m_firstSeq;
    }
    m_published -= drop;
    m_droppedTotal += drop;
    m_textCache.clear();
    endRemoveRows();
    Q_EMIT rowsDropped(drop);
}

void ActivationTableModel::clear()
{
    m_batchTimer.stop();
    beginResetModel();
    m_firstSeq += qint64(m_rows.size());
    m_rows.clear();
    m_published = 0;
    m_seqById.clear();
    m_pendingLinks.clear();
    m_dirty.clear();
    m_textCache.clear();
    endResetModel();
}

int ActivationTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_published;
}

int ActivationTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

int ActivationTableModel::rowOf(const QString &id) const
{
    const qint64 seq = seqOf(id);
    const int r = seq < 0 ? -1 : int(seq - m_firstSeq);
    return r < m_published ? r : -1;
}

QVariant ActivationTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ActivationRow &row = m_rows[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole: {
        const quint64 key = quint64(m_firstSeq + index.row()) * ColumnCount + quint64(index.column());
        const auto it = m_textCache.constFind(key);
        if (it != m_textCache.cend())
            return *it;
        if (m_textCache.size() >= textCacheLimit)
            m_textCache.clear();
        return *m_textCache.insert(key, displayText(row, index.column()));
    }
    case Qt::TextAlignmentRole:
        if (index.column() == Duration || index.column() == Wait || index.column() == Init)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case KindRole:
        return int(row.kind);
    case StatusRole:
        return int(row.status);
    case IdRole:
        return row.idString(m_pool);
    case StartRole:
        return row.start;
    case DurationRole:
        return row.durationMs;
    case ColdRole:
        return row.cold();
    case NameRole:
        return m_pool.at(row.name);
    case TriggerRole:
        return m_pool.at(row.trigger);
    case RuleRole:
        return m_pool.at(row.rule);
    case PayloadRole:
        return QString::fromUtf8(row.payload);
    case SyntheticRole:
        return row.synthetic;
    default:
        return {};
    }
}

QString ActivationTableModel::displayText(const ActivationRow &row, int column) const
{
    const auto ms = [](qint32 v) { return v < 0 ? QString() : QString::number(v) + u" ms"; };
    switch (column) {
    case Time:
        return QDateTime::fromMSecsSinceEpoch(row.start).toString(QStringLiteral("HH:mm:ss.zzz"));
    case Kind:
        return kindText(row.kind);
    case Name:
        return m_pool.at(row.name);
    case Status:
        return statusText(row.status);
    case Duration:
        return ms(row.durationMs);
    case Wait:
        return ms(row.waitMs);
    case Init:
        return ms(row.initMs);
    case Start:
        if (row.kind == ActivationKind::Trigger || row.durationMs < 0)
            return {};
        return row.cold() ? QStringLiteral("cold") : QStringLiteral("warm");
    case Cause:
        if (row.kind == ActivationKind::Trigger || !row.trigger)
            return {};
        return m_pool.at(row.trigger) + u" → " + m_pool.at(row.rule);
    case Id:
        return row.idString(m_pool);
    default:
        return {};
    }
}

QVariant ActivationTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time:
        return tr("Time");
    case Kind:
        return tr("Kind");
    case Name:
        return tr("Name");
    case Status:
        return tr("Status");
    case Duration:
        return tr("Duration");
    case Wait:
        return tr("Wait");
    case Init:
        return tr("Init");
    case Start:
        return tr("Start");
    case Cause:
        return tr("Trigger → rule");
    case Id:
        return tr("Activation");
    default:
        return {};
    }
}

void ActivationTableModel::fetchRecord(int row,
                                       QObject *context,
                                       std::function<void(Result<ActivationRecord>)> done)
{
    if (row < 0 || row >= m_published) {
        WhiskError error;
        error.kind = WhiskError::Kind::Protocol;
        error.message = tr("No row %1 in the activation table.").arg(row);
        done(error);
        return;
    }
    const ActivationRow &r = rowAt(row);
    const QString id = r.idString(m_pool);
    if (r.synthetic) {
        // The server kept no record of a 204 / 429 fire: what the row holds is all there is.
        ActivationRecord record;
        record.activationId = id;
        record.ns = m_ns;
        record.name = m_pool.at(r.name);
        record.start = r.start;
        record.statusCode = -1;
        record.status = statusText(r.status);
        record.result = QJsonDocument::fromJson(r.payload).object();
        record.annotations.set(localFireAnnotation(),
                               r.status == ActivationStatus::Throttled ? 429 : 204);
        done(record);
        return;
    }
    if (const ActivationRecord *cached = m_records.object(id)) {
        done(*cached);
        return;
    }
    if (!m_client) {
        WhiskError error;
        error.kind = WhiskError::Kind::Protocol;
        error.message = tr("The activation table has no client to fetch %1 with.").arg(id);
        done(error);
        return;
    }
    QPointer<ActivationTableModel> self(this);
    m_client->getActivation(id, context, [self, id, done](Result<ActivationRecord> r) {
        if (r && self)
            self->m_records.insert(id, new ActivationRecord(*r));
        done(std::move(r));
    });
}

} // namespace Feedscope
