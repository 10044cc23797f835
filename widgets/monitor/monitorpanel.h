// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "activationfiltermodel.h"
#include "entities.h"

#include <QWidget>

#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QSplitter;
class QTableView;
class QToolButton;
class QVBoxLayout;

namespace Feedscope {
class ActivationExportJob;
class ActivationTableModel;
} // namespace Feedscope

namespace Feedscope::Ui {

class ActivationDetailView;

// The live monitor's main panel (issue G): every activation of the namespace as it happens —
// trigger fires, the actions their rules ran, feed lifecycle calls, sequences — in a table that
// follows the newest row until the user scrolls up, with pause (events are held, not lost),
// filters by kind, status, trigger / rule / action and text (saved by name), a time span from
// the timeline, export of the filtered rows as JSON Lines, and the detail pane of the selected
// row with its causality chain.
class MonitorPanel : public QWidget
{
    Q_OBJECT

public:
    explicit MonitorPanel(QWidget *parent = nullptr);
    ~MonitorPanel() override;

    ActivationTableModel *rows() const { return m_rows; }
    ActivationFilterModel *filtered() const { return m_filter; }
    QTableView *view() const { return m_view; }
    ActivationDetailView *detail() const { return m_detail; }
    QToolButton *followButton() const { return m_followButton; }
    QToolButton *pauseButton() const { return m_pauseButton; }
    QLineEdit *textFilter() const { return m_text; }
    QComboBox *kindFilter() const { return m_kind; }
    QComboBox *statusFilter() const { return m_status; }
    QComboBox *savedFilters() const { return m_saved; }
    QLabel *sourceLabel() const { return m_source; }
    QLabel *countLabel() const { return m_count; }

    // Where named filters are kept (monitor-filters.json).
    void setFiltersDirectory(const QString &directory);
    // "push", "polling every 2.5 s"… (ActivationStream::sourceText()).
    void setSourceText(const QString &text, bool healthy);
    // Above the table (the timeline).
    void addTopWidget(QWidget *widget);

    // New records from the stream; held while paused.
    void ingest(const QList<ActivationRecord> &records);
    void clear();
    bool isPaused() const;
    void setPaused(bool paused);
    int heldCount() const { return int(m_held.size()); }

    // Selects the row of `id` (clearing filters that hide it); when the table does not have it,
    // asks for its record (recordWanted) so the detail pane can still show it.
    void selectActivation(const QString &id);
    // Narrows the table to one node of the flow view: kind "trigger", "rule" or "action".
    void filterToNode(const QString &kind, const QString &name);
    void setTimeSpan(qint64 fromMs, qint64 toMs);
    void clearTimeSpan();
    void clearFilters();

    // Writes the filtered rows as JSON Lines (one row per line) on a worker thread; progress and
    // the result are reported through statusMessage, the end through exportFinished.
    void exportTo(const QString &fileName);

Q_SIGNALS:
    void statusMessage(const QString &text);
    void recordWanted(const QString &activationId);
    void replayRequested(const Feedscope::ActivationRecord &triggerActivation);
    void whyRequested(const QString &trigger, const QString &activationId);
    void exportFinished(bool ok);
    // The selected row's trigger ("" for rows no trigger caused), for the companion views.
    void triggerSelected(const QString &trigger);

private:
    QWidget *buildToolBar();
    void applyFilterControls();
    void showFilter(const ActivationRowFilter &filter);
    void updateCounts();
    void showCurrent();
    void saveCurrentFilter();
    void chooseExportFile();
    void flushHeld();

    ActivationTableModel *m_rows;
    ActivationFilterModel *m_filter;
    std::unique_ptr<SavedActivationFilters> m_savedFilters;
    QList<ActivationRecord> m_held; // arrived while paused
    qint64 m_heldDropped = 0;
    ActivationExportJob *m_exportJob = nullptr;
    QString m_exportFile;
    bool m_settingControls = false;
    QVBoxLayout *m_top;
    QToolButton *m_followButton;
    QToolButton *m_pauseButton;
    QLabel *m_source;
    QComboBox *m_kind;
    QComboBox *m_status;
    QLineEdit *m_text;
    QLabel *m_scope;      // "trigger orders, 10:02:03–10:02:09"
    QToolButton *m_clear; // clears trigger / rule / action / span
    QComboBox *m_saved;
    QToolButton *m_save;
    QToolButton *m_export;
    QSpinBox *m_retention;
    QLabel *m_count;
    QSplitter *m_split;
    QTableView *m_view;
    ActivationDetailView *m_detail;
};

} // namespace Feedscope::Ui
