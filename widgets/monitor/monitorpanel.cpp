// SPDX-License-Identifier: GPL-3.0-or-later
#include "monitorpanel.h"

#include "activationdetailview.h"
#include "activationexport.h"
#include "activationtablemodel.h"
#include "common/accessible.h"
#include "common/theme.h"
#include "statuscolors.h"

#include <QComboBox>
#include <QDateTime>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QSpinBox>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace Feedscope::Ui {
namespace {

// Status text in its colour, synthetic rows (fires the server kept no record of) in italics.
class ActivationRowDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (index.column() == ActivationTableModel::Status) {
            const auto status
                = ActivationStatus(index.data(ActivationTableModel::StatusRole).toInt());
            option->palette.setColor(QPalette::Text,
                                     Theme::color(statusRole(status), option->palette));
            option->font.setBold(status != ActivationStatus::Success);
        }
        if (index.data(ActivationTableModel::SyntheticRole).toBool())
            option->font.setItalic(true);
    }
};

struct StatusChoice
{
    const char *label;
    quint32 bits;
};

quint32 bits(std::initializer_list<ActivationStatus> statuses)
{
    quint32 b = 0;
    for (ActivationStatus s : statuses)
        b |= ActivationRowFilter::bit(s);
    return b;
}

} // namespace

MonitorPanel::MonitorPanel(QWidget *parent)
    : QWidget(parent)
    , m_rows(new ActivationTableModel(this))
    , m_filter(new ActivationFilterModel(m_rows, this))
    , m_top(new QVBoxLayout)
    , m_followButton(new QToolButton(this))
    , m_pauseButton(new QToolButton(this))
    , m_source(new QLabel(this))
    , m_kind(new QComboBox(this))
    , m_status(new QComboBox(this))
    , m_text(new QLineEdit(this))
    , m_scope(new QLabel(this))
    , m_clear(new QToolButton(this))
    , m_saved(new QComboBox(this))
    , m_save(new QToolButton(this))
    , m_export(new QToolButton(this))
    , m_retention(new QSpinBox(this))
    , m_count(new QLabel(this))
    , m_split(new QSplitter(Qt::Horizontal, this))
    , m_view(new QTableView(this))
    , m_detail(new ActivationDetailView(m_rows, this))
{
    nameControl(this, QStringLiteral("monitorPanel"), tr("Activity monitor"));
    nameControl(m_view, QStringLiteral("monitorTable"), tr("Activations"));
    m_view->setModel(m_filter);
    m_view->setItemDelegate(new ActivationRowDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setHighlightSections(false);
    m_view->horizontalHeader()->setStretchLastSection(true);
    // Fixed widths: measuring 100k live rows for ResizeToContents would stall (STYLE.md 8).
    const int em = m_view->fontMetrics().horizontalAdvance(QLatin1Char('m'));
    const QList<QPair<int, int>> widths = {{ActivationTableModel::Time, 9},
                                           {ActivationTableModel::Kind, 6},
                                           {ActivationTableModel::Name, 13},
                                           {ActivationTableModel::Status, 10},
                                           {ActivationTableModel::Duration, 5},
                                           {ActivationTableModel::Wait, 5},
                                           {ActivationTableModel::Init, 5},
                                           {ActivationTableModel::Start, 4},
                                           {ActivationTableModel::Cause, 14}};
    for (const auto &[column, ems] : widths)
        m_view->setColumnWidth(column, ems * em);

    m_split->setObjectName(QStringLiteral("monitorSplit"));
    m_split->addWidget(m_view);
    m_split->addWidget(m_detail);
    m_split->setStretchFactor(0, 3);
    m_split->setStretchFactor(1, 2);
    m_split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(buildToolBar());
    m_top->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(m_top);
    layout->addWidget(m_split, 1);

    // Follow the newest row while the user is there; dragging the scroll bar up stops it.
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_followButton->isChecked())
            m_view->scrollToBottom();
        updateCounts();
    });
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &MonitorPanel::updateCounts);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &MonitorPanel::updateCounts);
    connect(m_filter, &ActivationFilterModel::filterChanged, this, &MonitorPanel::updateCounts);
    connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        QScrollBar *bar = m_view->verticalScrollBar();
        if (value < bar->maximum() - 2 && bar->isSliderDown())
            m_followButton->setChecked(false);
    });
    connect(m_view->selectionModel(),
            &QItemSelectionModel::currentRowChanged,
            this,
            &MonitorPanel::showCurrent);
    connect(
        m_detail, &ActivationDetailView::navigateRequested, this, &MonitorPanel::selectActivation);
    connect(m_detail, &ActivationDetailView::replayRequested, this, &MonitorPanel::replayRequested);
    connect(m_detail, &ActivationDetailView::whyRequested, this, &MonitorPanel::whyRequested);
    connect(m_rows, &ActivationTableModel::rowsDropped, this, [this](int count) {
        Q_UNUSED(count);
        updateCounts();
    });
    updateCounts();
}

MonitorPanel::~MonitorPanel() = default;

QWidget *MonitorPanel::buildToolBar()
{
    auto *bar = new QWidget(this);
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(4, 2, 4, 2);

    nameControl(m_followButton, QStringLiteral("monitorFollow"), tr("Follow new activations"));
    m_followButton->setText(tr("Follow"));
    m_followButton->setCheckable(true);
    m_followButton->setChecked(true);
    m_followButton->setToolTip(tr("Keep the newest activation in view (scrolling up stops it)"));
    connect(m_followButton, &QToolButton::toggled, this, [this](bool on) {
        if (on)
            m_view->scrollToBottom();
    });
    nameControl(m_pauseButton, QStringLiteral("monitorPause"), tr("Pause the monitor"));
    m_pauseButton->setText(tr("Pause"));
    m_pauseButton->setCheckable(true);
    m_pauseButton->setToolTip(tr("Freeze the table; new events are held and shown on resume"));
    connect(m_pauseButton, &QToolButton::toggled, this, &MonitorPanel::setPaused);
    nameControl(m_source, QStringLiteral("monitorSource"), tr("Where activations come from"));
    m_source->setToolTip(tr("Push: the engine's activity stream. Polling: the activations list, "
                            "faster while events flow."));

    nameControl(m_kind, QStringLiteral("monitorKindFilter"), tr("Show kind"));
    m_kind->addItem(tr("All kinds"), 0u);
    m_kind->addItem(tr("Triggers"), ActivationRowFilter::bit(ActivationKind::Trigger));
    m_kind->addItem(tr("Actions"), ActivationRowFilter::bit(ActivationKind::Action));
    m_kind->addItem(tr("Feed lifecycle"), ActivationRowFilter::bit(ActivationKind::FeedLifecycle));
    m_kind->addItem(tr("Sequences"), ActivationRowFilter::bit(ActivationKind::Sequence));
    nameControl(m_status, QStringLiteral("monitorStatusFilter"), tr("Show status"));
    const quint32 errors = bits({ActivationStatus::ApplicationError,
                                 ActivationStatus::DeveloperError,
                                 ActivationStatus::InternalError,
                                 ActivationStatus::Timeout});
    m_status->addItem(tr("All statuses"), 0u);
    m_status->addItem(tr("Success"), bits({ActivationStatus::Success}));
    m_status->addItem(tr("Any error"), errors);
    m_status->addItem(tr("Dead ends (errors, 204, 429)"),
                      errors | bits({ActivationStatus::NoActiveRule, ActivationStatus::Throttled}));
    m_status->addItem(tr("Application error"), bits({ActivationStatus::ApplicationError}));
    m_status->addItem(tr("Developer error"), bits({ActivationStatus::DeveloperError}));
    m_status->addItem(tr("Timeout"), bits({ActivationStatus::Timeout}));
    m_status->addItem(tr("204 no active rule"), bits({ActivationStatus::NoActiveRule}));
    m_status->addItem(tr("429 throttled"), bits({ActivationStatus::Throttled}));
    nameControl(m_text, QStringLiteral("monitorTextFilter"), tr("Filter by name, id or payload"));
    m_text->setPlaceholderText(tr("Filter: name, id, payload…"));
    m_text->setClearButtonEnabled(true);
    m_text->setMinimumWidth(140);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &MonitorPanel::applyFilterControls);
    connect(m_status, &QComboBox::currentIndexChanged, this, &MonitorPanel::applyFilterControls);
    connect(m_text, &QLineEdit::textChanged, this, &MonitorPanel::applyFilterControls);

    nameControl(m_scope, QStringLiteral("monitorScope"), tr("Narrowed to"));
    nameControl(m_clear, QStringLiteral("monitorClearScope"), tr("Clear the narrowing"));
    m_clear->setText(tr("✕"));
    m_clear->setToolTip(tr("Show every trigger, rule, action and time again"));
    m_clear->setAutoRaise(true);
    connect(m_clear, &QToolButton::clicked, this, [this] {
        ActivationRowFilter f = m_filter->filter();
        f.trigger.clear();
        f.rule.clear();
        f.action.clear();
        f.from = f.to = 0;
        m_filter->setFilter(f);
        showFilter(f);
    });

    nameControl(m_saved, QStringLiteral("monitorSavedFilters"), tr("Saved filters"));
    m_saved->setToolTip(tr("Apply a filter you saved"));
    connect(m_saved, &QComboBox::activated, this, [this](int index) {
        if (index <= 0 || !m_savedFilters)
            return;
        const ActivationRowFilter f = m_savedFilters->filter(m_saved->itemText(index));
        m_filter->setFilter(f);
        showFilter(f);
        m_saved->setCurrentIndex(0);
    });
    nameControl(m_save, QStringLiteral("monitorSaveFilter"), tr("Save this filter"));
    m_save->setText(tr("Save filter…"));
    connect(m_save, &QToolButton::clicked, this, &MonitorPanel::saveCurrentFilter);
    nameControl(m_export, QStringLiteral("monitorExport"), tr("Export the shown rows"));
    m_export->setText(tr("Export…"));
    m_export->setToolTip(tr("Write the rows the filter shows as JSON Lines"));
    connect(m_export, &QToolButton::clicked, this, &MonitorPanel::chooseExportFile);
    nameControl(m_retention, QStringLiteral("monitorRetention"), tr("Rows kept"));
    m_retention->setRange(1000, 1000000);
    m_retention->setSingleStep(10000);
    m_retention->setPrefix(tr("keep "));
    m_retention->setValue(m_rows->retention());
    m_retention->setToolTip(tr("The oldest rows are dropped past this many"));
    connect(m_retention, &QSpinBox::valueChanged, m_rows, &ActivationTableModel::setRetention);
    nameControl(m_count, QStringLiteral("monitorCount"), tr("Rows shown"));

    row->addWidget(m_followButton);
    row->addWidget(m_pauseButton);
    row->addWidget(m_source);
    row->addSpacing(8);
    row->addWidget(m_kind);
    row->addWidget(m_status);
    row->addWidget(m_text, 1);
    row->addWidget(m_scope);
    row->addWidget(m_clear);
    row->addWidget(m_saved);
    row->addWidget(m_save);
    row->addWidget(m_export);
    row->addWidget(m_retention);
    row->addWidget(m_count);
    showFilter({});
    return bar;
}

void MonitorPanel::setFiltersDirectory(const QString &directory)
{
    m_savedFilters = std::make_unique<SavedActivationFilters>(directory);
    showFilter(m_filter->filter());
}

void MonitorPanel::setSourceText(const QString &text, bool healthy)
{
    m_source->setText(tr("Source: %1").arg(text));
    QPalette p = m_source->palette();
    p.setColor(QPalette::WindowText,
               healthy ? palette().color(QPalette::WindowText)
                       : Theme::color(Theme::Role::Warning, this));
    m_source->setPalette(p);
}

void MonitorPanel::addTopWidget(QWidget *widget)
{
    m_top->addWidget(widget);
}

void MonitorPanel::ingest(const QList<ActivationRecord> &records)
{
    if (!isPaused()) {
        m_rows->append(records);
        return;
    }
    // Held, not lost; bounded like the table itself.
    m_held.append(records);
    const qsizetype excess = m_held.size() - m_rows->retention();
    if (excess > 0) {
        m_held.remove(0, excess);
        m_heldDropped += excess;
    }
    updateCounts();
}

void MonitorPanel::clear()
{
    m_held.clear();
    m_heldDropped = 0;
    m_rows->clear();
    m_detail->clear();
    updateCounts();
}

bool MonitorPanel::isPaused() const
{
    return m_pauseButton->isChecked();
}

void MonitorPanel::setPaused(bool paused)
{
    if (m_pauseButton->isChecked() != paused) {
        m_pauseButton->setChecked(paused); // comes back here through toggled
        return;
    }
    m_pauseButton->setText(paused ? tr("Resume") : tr("Pause"));
    if (!paused)
        flushHeld();
    updateCounts();
}

void MonitorPanel::flushHeld()
{
    if (m_heldDropped > 0)
        Q_EMIT statusMessage(tr("%n events arrived while paused beyond what the monitor keeps "
                                "and were dropped.",
                                nullptr,
                                int(m_heldDropped)));
    m_heldDropped = 0;
    const QList<ActivationRecord> held = std::exchange(m_held, {});
    m_rows->append(held);
}

void MonitorPanel::applyFilterControls()
{
    if (m_settingControls)
        return;
    ActivationRowFilter f = m_filter->filter();
    f.kinds = m_kind->currentData().toUInt();
    f.statuses = m_status->currentData().toUInt();
    f.text = m_text->text().trimmed();
    m_filter->setFilter(f);
    showFilter(f);
}

void MonitorPanel::showFilter(const ActivationRowFilter &f)
{
    m_settingControls = true;
    const int kind = m_kind->findData(f.kinds);
    m_kind->setCurrentIndex(kind >= 0 ? kind : 0);
    const int status = m_status->findData(f.statuses);
    m_status->setCurrentIndex(status >= 0 ? status : 0);
    if (m_text->text().trimmed() != f.text)
        m_text->setText(f.text);
    QStringList scope;
    if (!f.trigger.isEmpty())
        scope << tr("trigger %1").arg(f.trigger);
    if (!f.rule.isEmpty())
        scope << tr("rule %1").arg(f.rule);
    if (!f.action.isEmpty())
        scope << tr("action %1").arg(f.action);
    if (f.from || f.to) {
        const auto t = [](qint64 ms) {
            return ms ? QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("HH:mm:ss"))
                      : QStringLiteral("…");
        };
        scope << tr("%1–%2").arg(t(f.from), t(f.to));
    }
    m_scope->setText(scope.isEmpty() ? QString() : tr("Only %1").arg(scope.join(u", ")));
    m_scope->setVisible(!scope.isEmpty());
    m_clear->setVisible(!scope.isEmpty());
    m_saved->clear();
    m_saved->addItem(m_savedFilters && !m_savedFilters->names().isEmpty() ? tr("Saved filters")
                                                                          : tr("No saved filters"));
    if (m_savedFilters)
        m_saved->addItems(m_savedFilters->names());
    m_saved->setEnabled(m_saved->count() > 1);
    m_save->setEnabled(m_savedFilters != nullptr);
    m_settingControls = false;
}

void MonitorPanel::updateCounts()
{
    QString text = tr("%L1 of %L2").arg(m_filter->rowCount()).arg(m_rows->rowCount());
    if (isPaused())
        text = tr("Paused — %L1 new held · %2").arg(m_held.size()).arg(text);
    if (m_rows->droppedTotal() > 0)
        text += tr(" (%L1 older dropped)").arg(m_rows->droppedTotal());
    m_count->setText(text);
}

void MonitorPanel::showCurrent()
{
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    if (!current.isValid())
        return;
    const int sourceRow = m_filter->mapToSource(current).row();
    if (m_rows->idAt(sourceRow) == m_detail->shownId())
        return;
    m_detail->showRow(sourceRow);
    Q_EMIT triggerSelected(m_rows->text(m_rows->rowAt(sourceRow).trigger));
}

void MonitorPanel::selectActivation(const QString &id)
{
    m_rows->flush();
    const int sourceRow = m_rows->rowOf(id);
    if (sourceRow < 0) {
        Q_EMIT recordWanted(id);
        return;
    }
    QModelIndex index = m_filter->mapFromSource(m_rows->index(sourceRow, 0));
    if (!index.isValid()) {
        // Hidden by the filter: show everything rather than a row the user cannot see.
        m_filter->setFilter({});
        showFilter({});
        index = m_filter->mapFromSource(m_rows->index(sourceRow, 0));
    }
    m_followButton->setChecked(false);
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index, QAbstractItemView::PositionAtCenter);
}

void MonitorPanel::filterToNode(const QString &kind, const QString &name)
{
    ActivationRowFilter f = m_filter->filter();
    f.trigger.clear();
    f.rule.clear();
    f.action.clear();
    if (kind == u"trigger")
        f.trigger = name;
    else if (kind == u"rule")
        f.rule = name;
    else if (kind == u"action")
        f.action = name;
    m_filter->setFilter(f);
    showFilter(f);
}

void MonitorPanel::setTimeSpan(qint64 fromMs, qint64 toMs)
{
    ActivationRowFilter f = m_filter->filter();
    f.from = fromMs;
    f.to = toMs;
    m_followButton->setChecked(false); // a span is a look back, not the live end
    m_filter->setFilter(f);
    showFilter(f);
}

void MonitorPanel::clearTimeSpan()
{
    setTimeSpan(0, 0);
}

void MonitorPanel::clearFilters()
{
    m_filter->setFilter({});
    showFilter({});
}

void MonitorPanel::saveCurrentFilter()
{
    if (!m_savedFilters)
        return;
    auto *dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("saveFilterDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Save the monitor filter"));
    dialog->setLabelText(tr("Name (the time span is not saved):"));
    connect(dialog, &QInputDialog::textValueSelected, this, [this](const QString &name) {
        if (!m_savedFilters->save(name, m_filter->filter()))
            Q_EMIT statusMessage(m_savedFilters->errorString());
        else
            Q_EMIT statusMessage(tr("Saved the filter \"%1\".").arg(name.trimmed()));
        showFilter(m_filter->filter());
    });
    dialog->open();
}

void MonitorPanel::chooseExportFile()
{
    auto *dialog = new QFileDialog(this, tr("Export the shown activations as JSON Lines"));
    dialog->setObjectName(QStringLiteral("exportActivationsDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setNameFilter(tr("JSON Lines (*.jsonl)"));
    dialog->setDefaultSuffix(QStringLiteral("jsonl"));
    dialog->selectFile(QStringLiteral("activations.jsonl"));
    connect(dialog, &QFileDialog::fileSelected, this, &MonitorPanel::exportTo);
    dialog->open();
}

void MonitorPanel::exportTo(const QString &fileName)
{
    m_rows->flush();
    if (m_exportJob && m_exportJob->isRunning()) {
        Q_EMIT statusMessage(tr("An export is still being written."));
        return;
    }
    if (!m_exportJob) {
        m_exportJob = new ActivationExportJob(this);
        connect(m_exportJob,
                &ActivationExportJob::progress,
                this,
                [this](qint64 written, qint64 total) {
                    Q_EMIT statusMessage(
                        tr("Exporting activations… %L1 of %L2").arg(written).arg(total));
                });
        connect(
            m_exportJob, &ActivationExportJob::finished, this, [this](const ExportResult &result) {
                m_export->setEnabled(true);
                if (!result.ok())
                    Q_EMIT statusMessage(result.error);
                else
                    Q_EMIT statusMessage(
                        tr("Exported %L1 activations to %2.").arg(result.rows).arg(m_exportFile));
                Q_EMIT exportFinished(result.ok());
            });
    }
    // The rows are copied here, on the GUI thread; the worker writes them.
    m_rows->flush();
    m_exportFile = fileName;
    m_export->setEnabled(false);
    m_exportJob->start(ActivationExportRows::of(*m_filter), fileName);
}

} // namespace Feedscope::Ui
