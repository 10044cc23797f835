// SPDX-License-Identifier: GPL-3.0-or-later
#include "conformancepanel.h"

#include "common/accessible.h"
#include "common/feedchoices.h"
#include "common/jsonfield.h"
#include "common/messagebar.h"
#include "common/theme.h"
#include "feedparameters.h"
#include "session.h"

#include <QAction>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Feedscope::Ui {

namespace {

enum Column { VerdictColumn, StepColumn, ExpectedColumn, DetailColumn };

} // namespace

ConformancePanel::ConformancePanel(QWidget *parent)
    : QWidget(parent)
    , m_feedCombo(new QComboBox(this))
    , m_sample(new JsonField(this))
    , m_update(new JsonField(this))
    , m_progress(new QProgressBar(this))
    , m_stepLabel(new QLabel(this))
    , m_summary(new MessageBar(this))
    , m_card(new QTreeWidget(this))
{
    nameControl(this, QStringLiteral("conformancePanel"), tr("Feed check"));
    nameControl(m_feedCombo, QStringLiteral("conformanceFeedCombo"), tr("Feed action to check"));
    nameControl(m_progress, QStringLiteral("conformanceProgress"), tr("Progress of the check"));
    nameControl(m_summary, QStringLiteral("conformanceSummary"), tr("Result of the check"));
    nameControl(m_card, QStringLiteral("conformanceCard"), tr("Report card of the feed action"));
    m_stepLabel->setObjectName(QStringLiteral("conformanceStep"));
    m_feedCombo->setEditable(true);
    m_feedCombo->setInsertPolicy(QComboBox::NoInsert);
    m_feedCombo->lineEdit()->setPlaceholderText(tr("/whisk.system/alarms/alarm, or an action"));
    connect(m_feedCombo, &QComboBox::currentTextChanged, this, [this] {
        prefillSample();
        updateActions();
    });
    m_sample->setFieldName(QStringLiteral("conformanceSample"),
                           tr("Sample parameters that make a valid CREATE"));
    m_update->setFieldName(QStringLiteral("conformanceUpdate"),
                           tr("Parameters sent with UPDATE (empty: the sample)"));
    connect(m_sample, &JsonField::edited, this, [this] {
        m_sampleEdited = true;
        updateActions();
    });
    m_update->setPlaceholderText(tr("(empty: UPDATE with the sample)"));
    connect(m_update, &JsonField::edited, this, &ConformancePanel::updateActions);
    m_sample->setMaximumHeight(90);
    m_update->setMaximumHeight(90);
    m_progress->setTextVisible(true);
    m_progress->hide();

    m_card->setColumnCount(4);
    m_card->setHeaderLabels({tr("Verdict"), tr("Check"), tr("Expected"), tr("What happened")});
    m_card->setRootIsDecorated(false);
    m_card->setUniformRowHeights(true);
    m_card->setWordWrap(false);
    m_card->header()->setStretchLastSection(true);
    m_card->setColumnWidth(VerdictColumn, 70);
    m_card->setColumnWidth(StepColumn, 210);
    m_card->setColumnWidth(ExpectedColumn, 260);

    m_run = new QAction(tr("&Run check"), this);
    m_run->setObjectName(QStringLiteral("runConformanceAction"));
    m_run->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_run->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_run->setStatusTip(tr("Drive the feed action through its lifecycle on a scratch trigger and "
                           "grade each step (the scratch trigger is always removed)"));
    m_run->setToolTip(m_run->statusTip());
    connect(m_run, &QAction::triggered, this, &ConformancePanel::run);
    m_cancel = new QAction(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelConformanceAction"));
    m_cancel->setStatusTip(tr("Stop before the next step; the scratch trigger is still removed"));
    m_cancel->setToolTip(m_cancel->statusTip());
    connect(m_cancel, &QAction::triggered, this, [this] {
        if (m_check) {
            m_check->cancel();
            m_cancel->setEnabled(false);
            m_stepLabel->setText(tr("Cancelling: cleaning up…"));
        }
    });
    addAction(m_run);

    auto *runButton = new QToolButton(this);
    runButton->setObjectName(QStringLiteral("runConformanceButton"));
    runButton->setDefaultAction(m_run);
    auto *cancelButton = new QToolButton(this);
    cancelButton->setObjectName(QStringLiteral("cancelConformanceButton"));
    cancelButton->setDefaultAction(m_cancel);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(runButton);
    buttons->addWidget(cancelButton);
    buttons->addWidget(m_progress, 1);
    buttons->addWidget(m_stepLabel, 2);

    auto *form = new QFormLayout;
    form->addRow(tr("&Feed action:"), m_feedCombo);
    form->addRow(tr("&Sample (CREATE):"), m_sample);
    form->addRow(tr("&UPDATE with:"), m_update);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(m_summary);
    layout->addWidget(m_card, 1);
    setSession(nullptr);
}

void ConformancePanel::setSession(Session *session)
{
    if (m_session == session && session)
        return;
    m_session = session;
    refreshFeedList();
    updateActions();
}

void ConformancePanel::refreshFeedList()
{
    const QString current = m_feedCombo->currentText();
    QSignalBlocker block(m_feedCombo);
    m_feedCombo->clear();
    QStringList choices = knownFeedActions(m_session);
    if (m_session) {
        // Any action can be put to the test: one that is meant to be a feed but lacks the
        // annotation is exactly what this check should catch.
        for (const ExplorerEntry &a : m_session->tree()->entries(EntityTreeModel::Group::Actions)) {
            if (!choices.contains(a.name))
                choices.append(a.name);
        }
    }
    m_feedCombo->addItems(choices);
    m_feedCombo->setCurrentText(current);
}

void ConformancePanel::setFeed(const QString &feed)
{
    refreshFeedList();
    m_feedCombo->setCurrentText(feed);
}

void ConformancePanel::prefillSample()
{
    const auto feed = m_session ? m_session->client()->qualify(m_feedCombo->currentText().trimmed())
                                : std::nullopt;
    if (!feed || m_sampleEdited)
        return;
    const QString wanted = m_feedCombo->currentText();
    m_session->client()->getAction(*feed, false, this, [this, wanted](Result<Action> r) {
        if (!r || m_sampleEdited || m_feedCombo->currentText() != wanted)
            return;
        QJsonObject sample;
        for (const FeedParameter &p : feedParameters(*r)) {
            if (!p.sample.isUndefined() && !p.sample.isNull())
                sample.insert(p.name, p.sample);
        }
        m_sample->setValue(sample);
    });
}

void ConformancePanel::run()
{
    if (!m_session || isRunning())
        return;
    const auto feed = m_session->client()->qualify(m_feedCombo->currentText().trimmed());
    if (!feed) {
        m_summary->showError(tr("Name a feed action to check."));
        return;
    }
    if (!m_sample->isValid() || !m_update->isValid()) {
        m_summary->showError(tr("The parameters are not valid JSON."));
        return;
    }
    if (m_check)
        m_check->deleteLater();
    m_check = new ConformanceCheck(m_session->client(), this);
    m_card->clear();
    m_lastCard.reset();
    m_progress->setRange(0, 0);
    m_progress->show();
    m_summary->show(Theme::Role::Pulse, tr("Checking %1…").arg(feed->toString()));
    connect(m_check,
            &ConformanceCheck::progress,
            this,
            [this](int step, int count, const QString &text) {
                m_progress->setRange(0, count);
                m_progress->setValue(step);
                m_stepLabel->setText(tr("Step %1 of %2: %3").arg(step + 1).arg(count).arg(text));
            });
    m_check->run(
        *feed,
        m_sample->object(),
        this,
        [this](ReportCard card) { showCard(card); },
        m_update->object());
    updateActions();
}

void ConformancePanel::showCard(const ReportCard &card)
{
    m_lastCard = card;
    m_progress->hide();
    m_stepLabel->clear();
    m_card->clear();
    for (const ConformanceRow &row : card.rows) {
        auto *item = new QTreeWidgetItem(m_card);
        item->setText(VerdictColumn, row.verdict());
        item->setText(StepColumn, row.step);
        item->setText(ExpectedColumn, row.expected);
        item->setText(DetailColumn, row.detail);
        item->setToolTip(DetailColumn, row.detail);
        item->setToolTip(ExpectedColumn, row.expected);
        const Theme::Role role = !row.passed   ? Theme::Role::Error
                                 : row.warning ? Theme::Role::Warning
                                               : Theme::Role::Success;
        item->setForeground(VerdictColumn, Theme::color(role, m_card));
        QFont bold = item->font(VerdictColumn);
        bold.setBold(true);
        item->setFont(VerdictColumn, bold);
    }
    const int passed = int(card.rows.size()) - card.failures();
    const QString text
        = tr("%1: %2 of %3 checks passed, %4 with a warning%5.")
              .arg(card.feed)
              .arg(passed)
              .arg(card.rows.size())
              .arg(card.warnings())
              .arg(card.cancelled ? tr(" — cancelled, the scratch trigger was removed")
                                  : QString());
    if (card.failures() > 0)
        m_summary->showError(text + u' ' + tr("%n failed.", nullptr, card.failures()));
    else if (card.cancelled || card.warnings() > 0)
        m_summary->showWarning(text);
    else
        m_summary->showInfo(text);
    Q_EMIT statusMessage(text);
    updateActions();
}

void ConformancePanel::updateActions()
{
    const bool running = isRunning();
    m_run->setEnabled(m_session && !running && !m_feedCombo->currentText().trimmed().isEmpty()
                      && m_sample->isValid() && m_update->isValid());
    m_cancel->setEnabled(running);
    m_feedCombo->setEnabled(!running);
}

} // namespace Feedscope::Ui
