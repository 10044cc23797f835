// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "activationrow.h"
#include "result.h"
#include "whiskclient.h"

#include <QAbstractTableModel>
#include <QCache>
#include <QElapsedTimer>
#include <QHash>
#include <QSet>
#include <QTimer>

#include <deque>
#include <functional>

namespace Feedscope {

// The live monitor's table (STYLE.md 5–10): records from ActivationStream go into a pending
// buffer and one coalescing timer tick publishes the batch with a single beginInsertRows. Rows
// are compact (ActivationRow); display text is built in data() and cached with a bound. A
// retention cap drops the oldest rows in batches. Trigger activations with logs link the action
// rows they caused (trigger and rule), whichever arrives first; a record already shown as a
// summary is upgraded in place when its full version arrives. Full records for a detail pane are
// fetched on demand with the client.
class ActivationTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Time, Kind, Name, Status, Duration, Wait, Init, Start, Cause, Id, ColumnCount };
    enum Role {
        KindRole = Qt::UserRole + 1, // ActivationKind as int
        StatusRole,                  // ActivationStatus as int
        IdRole,
        StartRole,    // epoch ms
        DurationRole, // ms, -1 none
        ColdRole,     // bool
        NameRole,
        TriggerRole,
        RuleRole,
        PayloadRole, // compact JSON excerpt (full records only)
        SyntheticRole,
    };

    explicit ActivationTableModel(QObject *parent = nullptr);

    // For fetchRecord(); the model works without one.
    void setClient(WhiskClientPtr client) { m_client = std::move(client); }
    // The namespace names are shown relative to ("guest/x" → "x").
    void setNamespace(const QString &ns) { m_ns = ns; }

    void setBatchInterval(int ms) { m_batchMs = ms; }
    int batchInterval() const { return m_batchMs; }
    // At most `rows` rows are kept: past it, the oldest are dropped in batches of rows/20.
    void setRetention(int rows);
    int retention() const { return m_retention; }
    // Paths ("ns/pkg/feed") of actions known to be feeds: their rows are lifecycle events.
    void setFeedActions(const QStringList &paths);

    // Queues records (new ones, or full versions of rows already held); published next tick.
    void append(const QList<ActivationRecord> &records);
    // Publishes what is pending now.
    void flush();
    void clear();
    int pendingCount() const { return int(m_rows.size()) - m_published; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    const ActivationRow &rowAt(int row) const { return m_rows[size_t(row)]; }
    const QString &text(quint32 pooled) const { return m_pool.at(pooled); }
    const StringPool &strings() const { return m_pool; }
    QString idAt(int row) const { return rowAt(row).idString(m_pool); }
    // The published row holding activation `id`, or -1.
    int rowOf(const QString &id) const;
    qint64 droppedTotal() const { return m_droppedTotal; }

    // The full record behind `row` (GET activations/{id}; recent ones cached). Synthetic rows
    // have no server record: they are answered from the row.
    void fetchRecord(int row, QObject *context, std::function<void(Result<ActivationRecord>)> done);

Q_SIGNALS:
    void retentionChanged(int rows);
    // A batch of the oldest rows was dropped for retention.
    void rowsDropped(int count);

private:
    struct Link
    {
        quint32 trigger = 0;
        quint32 rule = 0;
    };
    void ingest(const ActivationRecord &record);
    void linkOutcomes(const ActivationRecord &trigger, quint32 triggerName);
    static quint64 keyOf(const ActivationRow &row);
    qint64 seqOf(const QString &id) const;
    void markDirty(qint64 seq);
    void trim();
    QString displayText(const ActivationRow &row, int column) const;

    std::deque<ActivationRow> m_rows; // published rows first, then the pending ones
    int m_published = 0;
    qint64 m_firstSeq = 0;                // sequence number of m_rows.front()
    QHash<quint64, qint64> m_seqById;     // hash of the id → sequence (checked against the row)
    QHash<QString, Link> m_pendingLinks;  // action id → its cause, before the action row arrived
    QSet<qint64> m_dirty;                 // published rows changed since the last tick
    StringPool m_pool;
    QHash<QString, bool> m_feedActions;
    QString m_ns;
    int m_retention = 100000;
    qint64 m_droppedTotal = 0;
    QTimer m_batchTimer;
    int m_batchMs = 50;         // at most one publish per this long
    QElapsedTimer m_sinceFlush; // since the last publish
    mutable QHash<quint64, QString> m_textCache; // (sequence, column) → text; bounded
    WhiskClientPtr m_client;
    QCache<QString, ActivationRecord> m_records{32};
};

} // namespace Feedscope
