// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Helpers for the widget suites: they drive real widgets (offscreen) against a real engine.
#include "enginefixture.h"
#include "feedtesting.h"
#include "lifecyclejournal.h"
#include "session.h"

#include <QMessageBox>
#include <QTest>

#include <functional>
#include <memory>
#include <optional>

namespace Feedscope::Testing {

// Polls `condition` while the event loop runs, until it holds or a generous deadline passes.
bool waitUntil(const std::function<bool()> &condition, int deadlineMs = 60000);

// Presses `button` in the next modal message box that opens (a delete confirmation).
void answerNextMessageBox(QMessageBox::StandardButton button);

// A session on the engine's guest namespace, loaded (its first refresh arrived).
std::unique_ptr<Session> openSession(EngineProcess &engine,
                                     HttpJournal *journal,
                                     const LifecycleJournalPtr &lifecycleJournal);

// The report of `operation` once it finished (nothing when it did not in time).
std::optional<OperationReport> reportOf(Operation *operation, int deadlineMs = 60000);

// Every visible control under `root` that a screen reader could not name (STYLE.md 27): their
// object names and classes, for a failure message.
QStringList unnamedControls(QWidget *root);

} // namespace Feedscope::Testing
