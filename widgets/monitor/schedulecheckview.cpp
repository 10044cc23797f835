// SPDX-License-Identifier: GPL-3.0-or-later
#include "schedulecheckview.h"

#include "common/accessible.h"
#include "common/messagebar.h"
#include "common/theme.h"
#include "entitytreemodel.h"
#include "session.h"

#include <QComboBox>
#include <QDateTime>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace Feedscope::Ui {

namespace {

enum Column { ExpectedColumn, ObservedColumn, DelayColumn, StatusColumn, ColumnCount };

Theme::Role statusRole(ScheduleMatch::Status status)
{
    switch (status) {
    case ScheduleMatch::Status::OnTime: return Theme::Role::Success;
    case ScheduleMatch::Status::Late: return Theme::Role::Warning;
    case ScheduleMatch::Status::Missed: return Theme::Role::Error;
    case ScheduleMatch::Status::Pending: return Theme::Role::Muted;
    case ScheduleMatch::Status::Duplicate:
    case ScheduleMatch::Status::Unexpected: return Theme::Role::Feed;
    }
    return Theme::Role::Muted;
}

QString timeText(qint64 ms)
{
    return ms == 0 ? QStringLiteral("—")
                   : QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("HH:mm:ss.zzz"));
}

QString delayText(const ScheduleMatch &m)
{
    if (m.expected == 0 || m.observed == 0)
        return QStringLiteral("—");
    return QStringLiteral("%1%2 s")
        .arg(m.delayMs >= 0 ? QStringLiteral("+") : QString())
        .arg(double(m.delayMs) / 1000.0, 0, 'f', 3);
}

} // namespace

ScheduleCheckView::ScheduleCheckView(QWidget *parent)
    : QWidget(parent)
    , m_trigger(new QComboBox(this))
    , m_window(new QComboBox(this))
    , m_tolerance(new QDoubleSpinBox(this))
    , m_run(new QPushButton(tr("Check &schedule"), this))
    , m_progress(new QProgressBar(this))
    , m_summary(new QLabel(this))
    , m_message(new MessageBar(this))
    , m_table(new QTableWidget(this))
{
    nameControl(m_trigger, QStringLiteral("scheduleTrigger"), tr("Alarm trigger"));
    nameControl(m_window, QStringLiteral("scheduleWindow"), tr("Window to check"));
    nameControl(m_tolerance, QStringLiteral("scheduleTolerance"), tr("Tolerance in seconds"));
    nameControl(m_run, QStringLiteral("scheduleCheck"), tr("Check the schedule"));
    nameControl(m_progress, QStringLiteral("scheduleProgress"), tr("Schedule check in progress"));
    nameControl(m_summary, QStringLiteral("scheduleSummary"), tr("Schedule summary"));
    nameControl(m_message, QStringLiteral("scheduleMessage"), tr("Schedule check message"));
    nameControl(m_table, QStringLiteral("scheduleTable"), tr("Expected and observed fires"));

    m_trigger->setEditable(true);
    m_trigger->setInsertPolicy(QComboBox::NoInsert);
    m_trigger->setMinimumContentsLength(14);
    m_trigger->lineEdit()->setPlaceholderText(tr("alarm trigger"));
    for (int minutes : {10, 30, 60, 120})
        m_window->addItem(tr("last %1 min").arg(minutes), minutes);
    m_window->setCurrentIndex(1);
    m_tolerance->setRange(0.1, 600);
    m_tolerance->setDecimals(1);
    m_tolerance->setValue(5);
    m_tolerance->setSuffix(tr(" s"));
    m_tolerance->setToolTip(tr("A fire later than this after its time is late"));
    m_progress->setRange(0, 0);
    m_progress->setMaximumWidth(100);
    m_progress->hide();
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_summary->font();
    bold.setBold(true);
    m_summary->setFont(bold);

    m_table->setColumnCount(ColumnCount);
    m_table->setHorizontalHeaderLabels({tr("Expected"), tr("Observed"), tr("Delay"), tr("Status")});
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(ExpectedColumn, 120);
    m_table->setColumnWidth(ObservedColumn, 120);
    m_table->setColumnWidth(DelayColumn, 90);

    auto *top = new QHBoxLayout;
    auto *triggerLabel = new QLabel(tr("T&rigger:"), this);
    triggerLabel->setBuddy(m_trigger);
    top->addWidget(triggerLabel);
    top->addWidget(m_trigger, 1);
    top->addWidget(m_window);
    auto *toleranceLabel = new QLabel(tr("&Tolerance:"), this);
    toleranceLabel->setBuddy(m_tolerance);
    top->addWidget(toleranceLabel);
    top->addWidget(m_tolerance);
    top->addWidget(m_run);
    top->addWidget(m_progress);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_message);
    layout->addWidget(m_summary);
    layout->addWidget(m_table, 1);

    connect(m_run, &QPushButton::clicked, this, &ScheduleCheckView::check);
    connect(m_trigger->lineEdit(), &QLineEdit::returnPressed, this, &ScheduleCheckView::check);
    connect(m_table, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        const QString id = m_table->item(row, ObservedColumn)->data(Qt::UserRole).toString();
        if (!id.isEmpty())
            Q_EMIT openActivationRequested(id);
    });
    m_run->setEnabled(false);
}

void ScheduleCheckView::setSession(Session *session)
{
    if (m_session == session)
        return;
    delete m_check;
    m_check = nullptr;
    if (m_session)
        m_session->tree()->disconnect(this);
    m_session = session;
    m_table->setRowCount(0);
    m_summary->clear();
    m_message->clearMessage();
    m_progress->hide();
    m_run->setEnabled(session != nullptr);
    if (!session)
        return;
    m_check = new ScheduleCheck(session->client(), this);
    connect(m_check, &ScheduleCheck::progress, m_progress, &QWidget::setToolTip);
    connect(m_check, &ScheduleCheck::finished, this, &ScheduleCheckView::showResult);
    // Triggers with a feed are the candidates.
    auto refill = [this] {
        if (!m_session)
            return;
        QStringList names;
        const QModelIndex group = m_session->tree()->groupIndex(EntityTreeModel::Group::Triggers);
        for (int row = 0; row < m_session->tree()->rowCount(group); ++row) {
            const QModelIndex index = m_session->tree()->index(row, 0, group);
            if (!index.data(EntityTreeModel::FeedRole).toString().isEmpty())
                names.append(index.data(EntityTreeModel::NameRole).toString());
        }
        names.sort();
        const QString text = m_trigger->currentText();
        const QSignalBlocker block(m_trigger);
        m_trigger->clear();
        m_trigger->addItems(names);
        m_trigger->setEditText(text);
    };
    EntityTreeModel *tree = session->tree();
    connect(tree, &QAbstractItemModel::modelReset, this, refill);
    connect(tree, &QAbstractItemModel::rowsInserted, this, refill);
    connect(tree, &QAbstractItemModel::rowsRemoved, this, refill);
    connect(tree, &QAbstractItemModel::dataChanged, this, refill);
    refill();
}

void ScheduleCheckView::setTrigger(const QString &trigger)
{
    m_trigger->setEditText(trigger);
}

QString ScheduleCheckView::trigger() const
{
    return m_trigger->currentText().trimmed();
}

void ScheduleCheckView::check()
{
    if (!m_session || !m_check)
        return;
    const auto name = m_session->client()->qualify(trigger());
    if (trigger().isEmpty() || !name) {
        m_message->showError(trigger().isEmpty()
                                 ? tr("Pick an alarm trigger to check.")
                                 : tr("'%1' is not a trigger name.").arg(trigger()));
        return;
    }
    m_message->clearMessage();
    ScheduleCheckRequest request;
    request.trigger = *name;
    request.windowMs = qint64(m_window->currentData().toInt()) * 60 * 1000;
    request.toleranceMs = qint64(m_tolerance->value() * 1000);
    m_progress->show();
    m_run->setEnabled(false);
    m_summary->setText(tr("Checking %1…").arg(name->name));
    m_check->run(request);
}

void ScheduleCheckView::showResult(const ScheduleCheckResult &result)
{
    m_progress->hide();
    m_run->setEnabled(true);
    m_result = result;
    m_table->setRowCount(0);
    if (!result.ok) {
        m_summary->clear();
        m_message->showError(result.error);
        return;
    }
    const ScheduleReport &r = result.report;
    m_summary->setText(r.summary());
    if (!result.feedActive)
        m_message->showWarning(tr("The feed is not active: fires are expected only up to %1.")
                                   .arg(timeText(result.to)));
    m_table->setRowCount(int(r.matches.size()));
    for (int row = 0; row < r.matches.size(); ++row) {
        const ScheduleMatch &m = r.matches[row];
        const QColor colour = Theme::color(statusRole(m.status), this);
        QString status = scheduleStatusText(m.status);
        if (m.status == ScheduleMatch::Status::Late)
            status += QStringLiteral(" (%1 s)").arg(double(m.delayMs) / 1000.0, 0, 'f', 1);
        const QStringList texts{timeText(m.expected), timeText(m.observed), delayText(m), status};
        for (int column = 0; column < ColumnCount; ++column) {
            auto *item = new QTableWidgetItem(texts[column]);
            if (column == StatusColumn)
                item->setForeground(colour);
            if (column == ObservedColumn) {
                item->setData(Qt::UserRole, m.activationId);
                if (!m.activationId.isEmpty())
                    item->setToolTip(
                        tr("Activation %1 (double-click to open)").arg(m.activationId));
            }
            m_table->setItem(row, column, item);
        }
    }
    m_table->scrollToBottom();
}

} // namespace Feedscope::Ui
