package io.keepsake.prevalent;

/**
 * A mutable model kept in memory and made durable by journaling every {@link Command} before applying it
 * (Prevayler's rule). Opened with {@link io.keepsake.Keepsake#prevalent(java.util.function.Supplier)}.
 *
 * <p>{@link #execute} order of events: the command is encoded (an unregistered or unserializable command fails
 * here with {@link io.keepsake.CodecException}, nothing written); its {@link Command#check} runs (a throw gives
 * {@link RejectedException}, nothing written); it is appended to the journal and, in SYNC mode, forced; then it is
 * applied to the model in journal order and its result or exception returned. Many concurrent callers share one
 * force (group commit). Queries and checks take a read lock; applying takes the write lock. If the journal fails,
 * the system is fail-stopped: every later execute throws {@link io.keepsake.FailStopException} until reopened.
 *
 * @param <S> the model type
 */
public interface Prevalent<S> extends PrevalentSystem<S> {

    /**
     * Journals and applies a command.
     *
     * @return the command's result
     * @throws io.keepsake.CodecException    if the command's class is not registered or it cannot be serialized
     * @throws RejectedException             if its check threw; nothing was journaled
     * @throws io.keepsake.FailStopException if the journal failed now or earlier
     * @throws RuntimeException              whatever the command's execute threw (it is journaled and replays the
     *                                       same way)
     */
    <R> R execute(Command<S, R> command);
}
