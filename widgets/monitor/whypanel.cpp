// SPDX-License-Identifier: GPL-3.0-or-later
#include "whypanel.h"

#include "activationrow.h"
#include "common/accessible.h"
#include "common/messagebar.h"
#include "common/theme.h"
#include "entitytreemodel.h"
#include "session.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Feedscope::Ui {

namespace {

// A round badge in the fact's colour with a mark, drawn from the palette (STYLE.md 25).
QIcon factIcon(DiagnosisFact::State state, const QPalette &palette)
{
    const Theme::Role role = state == DiagnosisFact::State::Ok        ? Theme::Role::Success
                             : state == DiagnosisFact::State::Problem ? Theme::Role::Error
                                                                      : Theme::Role::Muted;
    QPixmap pixmap(32, 32);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(Theme::color(role, palette));
    p.drawEllipse(QRectF(2, 2, 28, 28));
    QFont font = p.font();
    font.setPixelSize(20);
    font.setBold(true);
    p.setFont(font);
    p.setPen(palette.color(QPalette::Base));
    const QString mark = state == DiagnosisFact::State::Ok        ? QStringLiteral("✓")
                         : state == DiagnosisFact::State::Problem ? QStringLiteral("!")
                                                                  : QStringLiteral("?");
    p.drawText(QRectF(0, 0, 32, 32), Qt::AlignCenter, mark);
    return QIcon(pixmap);
}

QString stateName(DiagnosisFact::State state)
{
    switch (state) {
    case DiagnosisFact::State::Ok: return QObject::tr("ok");
    case DiagnosisFact::State::Problem: return QObject::tr("problem");
    case DiagnosisFact::State::Unknown: return QObject::tr("unknown");
    }
    return {};
}

QString eventText(const ActivationRecord &event)
{
    const QString when
        = QDateTime::fromMSecsSinceEpoch(event.start).toString(QStringLiteral("HH:mm:ss"));
    if (event.annotations.contains(localFireAnnotation())) {
        const int status = event.annotations.value(localFireAnnotation()).toInt();
        return QObject::tr("Event: the fire at %1 (%2, sent by Feedscope)")
            .arg(when,
                 status == 429 ? QObject::tr("429 throttled") : QObject::tr("204 no active rule"));
    }
    return QObject::tr("Event: trigger activation %1 at %2").arg(event.activationId.left(12), when);
}

} // namespace

WhyPanel::WhyPanel(QWidget *parent)
    : QWidget(parent)
    , m_trigger(new QComboBox(this))
    , m_eventLabel(new QLabel(this))
    , m_clearEvent(new QToolButton(this))
    , m_check(new QPushButton(tr("&Check"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_progress(new QProgressBar(this))
    , m_progressText(new QLabel(this))
    , m_answer(new QLabel(this))
    , m_fix(new QPushButton(this))
    , m_facts(new QTreeWidget(this))
    , m_message(new MessageBar(this))
{
    nameControl(m_trigger, QStringLiteral("whyTrigger"), tr("Trigger to check"));
    nameControl(
        m_clearEvent, QStringLiteral("whyClearEvent"), tr("Check the trigger, not one event"));
    nameControl(m_check, QStringLiteral("whyCheck"), tr("Check why the action did not run"));
    nameControl(m_cancel, QStringLiteral("whyCancel"), tr("Cancel the check"));
    nameControl(m_progress, QStringLiteral("whyProgress"), tr("Check in progress"));
    nameControl(m_answer, QStringLiteral("whyAnswer"), tr("Answer"));
    nameControl(m_fix, QStringLiteral("whyFix"), tr("Apply the fix"));
    nameControl(m_facts, QStringLiteral("whyFacts"), tr("Facts checked"));
    nameControl(m_message, QStringLiteral("whyMessage"), tr("Check message"));
    m_eventLabel->setObjectName(QStringLiteral("whyEvent"));
    m_progressText->setObjectName(QStringLiteral("whyProgressText"));

    m_trigger->setEditable(true);
    m_trigger->setInsertPolicy(QComboBox::NoInsert);
    m_trigger->setMinimumContentsLength(16);
    m_trigger->lineEdit()->setPlaceholderText(tr("trigger name"));
    m_trigger->setToolTip(tr("The trigger whose action did not run"));
    m_clearEvent->setText(tr("×"));
    m_clearEvent->setToolTip(tr("Check the trigger's latest fires instead of this event"));
    m_check->setToolTip(tr("Walk the facts: trigger, feed, fires, rules, actions, activations"));
    m_check->setDefault(true);
    m_cancel->hide();
    m_progress->setRange(0, 0); // the number of look-ups is not known up front
    m_progress->setMaximumWidth(120);
    m_progress->hide();
    m_progressText->setForegroundRole(QPalette::PlaceholderText);

    QFont bold = m_answer->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.1);
    m_answer->setFont(bold);
    m_answer->setWordWrap(true);
    m_answer->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_answer->setText(tr("Pick a trigger, or an event in the monitor, and press Check."));
    m_fix->hide();

    m_facts->setColumnCount(1);
    m_facts->setHeaderHidden(true);
    m_facts->setRootIsDecorated(false);
    m_facts->setUniformRowHeights(true);
    m_facts->setWordWrap(true);
    m_facts->setIconSize(QSize(16, 16));
    m_facts->setSelectionMode(QAbstractItemView::NoSelection);
    m_facts->setFocusPolicy(Qt::TabFocus);

    auto *top = new QHBoxLayout;
    auto *triggerLabel = new QLabel(tr("&Trigger:"), this);
    triggerLabel->setBuddy(m_trigger);
    top->addWidget(triggerLabel);
    top->addWidget(m_trigger, 1);
    top->addWidget(m_check);
    top->addWidget(m_cancel);
    auto *eventRow = new QHBoxLayout;
    eventRow->addWidget(m_eventLabel, 1);
    eventRow->addWidget(m_clearEvent);
    auto *progressRow = new QHBoxLayout;
    progressRow->addWidget(m_progress);
    progressRow->addWidget(m_progressText, 1);
    auto *fixRow = new QHBoxLayout;
    fixRow->addWidget(m_fix);
    fixRow->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(eventRow);
    layout->addLayout(progressRow);
    layout->addWidget(m_message);
    layout->addWidget(m_answer);
    layout->addLayout(fixRow);
    layout->addWidget(m_facts, 1);
    setTabOrder(m_trigger, m_check);
    setTabOrder(m_check, m_fix);
    setTabOrder(m_fix, m_facts);

    connect(m_check, &QPushButton::clicked, this, &WhyPanel::check);
    connect(m_cancel, &QPushButton::clicked, this, &WhyPanel::cancel);
    connect(m_trigger->lineEdit(), &QLineEdit::returnPressed, this, &WhyPanel::check);
    connect(m_clearEvent, &QToolButton::clicked, this, &WhyPanel::clearEvent);
    connect(m_fix, &QPushButton::clicked, this, &WhyPanel::runFix);
    connect(m_trigger, &QComboBox::currentTextChanged, this, [this](const QString &text) {
        // An event belongs to its trigger: another trigger drops it.
        if (m_event && m_event->name.section(u'/', -1) != text.section(u'/', -1))
            clearEvent();
    });
    clearEvent();
}

WhyPanel::~WhyPanel() = default;

void WhyPanel::setSession(Session *session)
{
    if (m_session == session)
        return;
    cancel();
    delete m_runner;
    m_runner = nullptr;
    if (m_session)
        m_session->tree()->disconnect(this);
    m_session = session;
    m_seen.clear();
    m_seenIndex.clear();
    m_seenBase = 0;
    clearEvent();
    m_diagnosis = Diagnosis{};
    m_facts->clear();
    m_fix->hide();
    m_message->clearMessage();
    m_check->setEnabled(session != nullptr);
    if (!session) {
        refillTriggers();
        return;
    }
    m_runner = new RunDiagnosis(session->lifecycle(), this);
    connect(m_runner, &RunDiagnosis::progress, this, [this](const QString &text) {
        setBusy(true, text + QStringLiteral("…"));
    });
    connect(m_runner, &RunDiagnosis::finished, this, &WhyPanel::showDiagnosis);
    EntityTreeModel *tree = session->tree();
    connect(tree, &QAbstractItemModel::modelReset, this, &WhyPanel::refillTriggers);
    connect(tree, &QAbstractItemModel::rowsInserted, this, &WhyPanel::refillTriggers);
    connect(tree, &QAbstractItemModel::rowsRemoved, this, &WhyPanel::refillTriggers);
    refillTriggers();
}

void WhyPanel::refillTriggers()
{
    QStringList names;
    if (m_session) {
        for (const ExplorerEntry &e : m_session->tree()->entries(EntityTreeModel::Group::Triggers))
            names.append(e.name);
    }
    names.sort();
    const QString text = m_trigger->currentText();
    QStringList current;
    for (int i = 0; i < m_trigger->count(); ++i)
        current.append(m_trigger->itemText(i));
    if (current == names)
        return;
    const QSignalBlocker block(m_trigger);
    m_trigger->clear();
    m_trigger->addItems(names);
    m_trigger->setEditText(text);
}

void WhyPanel::ingest(const QList<ActivationRecord> &records)
{
    for (const ActivationRecord &r : records) {
        if (!r.isTrigger())
            continue;
        const auto known = m_seenIndex.constFind(r.activationId);
        if (known != m_seenIndex.cend()) {
            ActivationRecord &seen = m_seen[*known - m_seenBase];
            if (seen.logs.isEmpty() && !r.logs.isEmpty())
                seen = r;
            continue;
        }
        m_seenIndex.insert(r.activationId, m_seenBase + m_seen.size());
        m_seen.append(r);
    }
    prune();
}

void WhyPanel::prune()
{
    // Records arrive about in start order; dropping from the front in batches (a quarter over
    // the bound, or what aged out) keeps it cheap at thousands of records a second: the index
    // holds absolute positions, so only the dropped ids leave it.
    const qint64 oldest = QDateTime::currentMSecsSinceEpoch() - keptMs;
    qsizetype drop = m_seen.size() > keptRecords + keptRecords / 4 ? m_seen.size() - keptRecords : 0;
    while (drop < m_seen.size() && m_seen[drop].start < oldest)
        ++drop;
    if (drop == 0)
        return;
    for (qsizetype i = 0; i < drop; ++i)
        m_seenIndex.remove(m_seen[i].activationId);
    m_seen.remove(0, drop);
    m_seenBase += drop;
}

void WhyPanel::setTrigger(const QString &trigger)
{
    clearEvent();
    m_trigger->setEditText(trigger);
}

void WhyPanel::setEvent(const ActivationRecord &event)
{
    if (!event.isTrigger())
        return;
    ingest({event});
    {
        const QSignalBlocker block(m_trigger);
        m_trigger->setEditText(event.name.section(u'/', -1));
    }
    m_event = event;
    m_eventLabel->setText(eventText(event));
    m_eventLabel->setForegroundRole(QPalette::WindowText);
    m_clearEvent->show();
}

void WhyPanel::clearEvent()
{
    m_event.reset();
    m_eventLabel->setText(tr("Checks the trigger and its latest fires."));
    m_eventLabel->setForegroundRole(QPalette::PlaceholderText);
    m_clearEvent->hide();
}

QString WhyPanel::trigger() const
{
    return m_trigger->currentText().trimmed();
}

bool WhyPanel::isChecking() const
{
    return m_runner && m_runner->isRunning();
}

void WhyPanel::check()
{
    if (!m_session || !m_runner || m_fixing)
        return;
    const QString text = trigger();
    const auto name = m_session->client()->qualify(text);
    if (text.isEmpty() || !name || !name->package.isEmpty()) {
        m_message->showError(text.isEmpty() ? tr("Pick a trigger to check.")
                                            : tr("'%1' is not a trigger name.").arg(text));
        return;
    }
    m_message->clearMessage();
    prune();
    DiagnosisRequest request;
    request.trigger = *name;
    request.event = m_event;
    request.seen = m_seen;
    setBusy(true, tr("Checking %1…").arg(name->name));
    m_runner->run(request);
}

void WhyPanel::cancel()
{
    if (m_runner)
        m_runner->cancel();
    setBusy(false);
}

void WhyPanel::setBusy(bool busy, const QString &text)
{
    m_progress->setVisible(busy);
    m_progressText->setText(text);
    m_check->setVisible(!busy);
    m_cancel->setVisible(busy && !m_fixing);
    m_fix->setEnabled(!busy);
}

void WhyPanel::showDiagnosis(const Diagnosis &diagnosis)
{
    setBusy(false);
    m_diagnosis = diagnosis;
    m_facts->clear();
    for (const DiagnosisFact &f : diagnosis.facts) {
        auto *item = new QTreeWidgetItem(m_facts, {f.text});
        item->setIcon(0, factIcon(f.state, palette()));
        item->setToolTip(0, f.text);
        item->setData(
            0, Qt::AccessibleTextRole, QString(stateName(f.state) + QStringLiteral(": ") + f.text));
        item->setData(0, Qt::UserRole, int(f.state));
    }
    m_answer->setText(diagnosis.answer);
    if (!diagnosis.complete && !diagnosis.error.isEmpty())
        m_message->showError(tr("The check could not finish: %1").arg(diagnosis.error));
    const bool hasFix = diagnosis.fix.kind != DiagnosisFix::Kind::None;
    m_fix->setVisible(hasFix);
    m_fix->setEnabled(hasFix);
    m_fix->setText(diagnosis.fix.label());
    m_fix->setAccessibleName(diagnosis.fix.label());
    m_fix->setToolTip(diagnosis.fix.isApiCall() ? tr("Apply the fix, then check again")
                                                : diagnosis.fix.label());
    Q_EMIT statusMessage(diagnosis.answer);
}

void WhyPanel::runFix()
{
    const DiagnosisFix fix = m_diagnosis.fix;
    switch (fix.kind) {
    case DiagnosisFix::Kind::None: return;
    case DiagnosisFix::Kind::OpenActivation: Q_EMIT openActivationRequested(fix.target); return;
    case DiagnosisFix::Kind::CreateRule: Q_EMIT createRuleRequested(fix.target); return;
    case DiagnosisFix::Kind::CreateAction: Q_EMIT createActionRequested(fix.target); return;
    case DiagnosisFix::Kind::EnableRule:
    case DiagnosisFix::Kind::RecreateFeed:
    case DiagnosisFix::Kind::UnpauseFeed: break;
    }
    if (!m_runner)
        return;
    m_fixing = true;
    setBusy(true, fix.label() + QStringLiteral("…"));
    m_runner->applyFix(fix, this, [this, fix](RunDiagnosis::FixOutcome outcome) {
        m_fixing = false;
        setBusy(false);
        if (!outcome.ok) {
            m_message->showError(tr("%1 failed: %2").arg(fix.label(), outcome.message));
            return;
        }
        check(); // the fix is done when the facts say so
        m_message->showInfo(outcome.message);
        Q_EMIT statusMessage(outcome.message);
    });
}

} // namespace Feedscope::Ui
